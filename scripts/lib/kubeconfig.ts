/**
 * @module
 * Kubeconfig files for edgeset: written by `npm start` and `edgeset kubeconfig`, read by the CLI
 * to find the server, the admin token and the certificate to trust.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";

export interface Connection {
  server: string;
  token: string;
  /** PEM of the certificate (authority) to trust, if the server's is not publicly trusted. */
  ca?: string;
  insecureSkipTlsVerify?: boolean;
}

/** A kubeconfig (YAML) with one cluster, user and context, all named `edgeset`. */
export function renderKubeconfig(connection: Connection, namespace = "default"): string {
  const cluster = [
    `    server: ${connection.server}`,
    connection.ca ? `    certificate-authority-data: ${Buffer.from(connection.ca).toString("base64")}` : undefined,
    connection.insecureSkipTlsVerify ? "    insecure-skip-tls-verify: true" : undefined,
  ].filter(Boolean);
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "- name: edgeset",
    "  cluster:",
    ...cluster,
    "users:",
    "- name: edgeset-admin",
    "  user:",
    `    token: ${connection.token}`,
    "contexts:",
    "- name: edgeset",
    "  context:",
    "    cluster: edgeset",
    "    user: edgeset-admin",
    `    namespace: ${namespace}`,
    "current-context: edgeset",
    "",
  ].join("\n");
}

interface KubeconfigFile {
  clusters?: { name: string; cluster: { server?: string; "certificate-authority-data"?: string; "certificate-authority"?: string; "insecure-skip-tls-verify"?: boolean } }[];
  users?: { name: string; user: { token?: string } }[];
  contexts?: { name: string; context: { cluster?: string; user?: string } }[];
  "current-context"?: string;
}

/** The connection of the current context of a kubeconfig file. */
export function readKubeconfig(path: string): Connection {
  const config = parse(readFileSync(path, "utf8")) as KubeconfigFile;
  const context = config.contexts?.find((c) => c.name === config["current-context"]) ?? config.contexts?.[0];
  const cluster = config.clusters?.find((c) => c.name === context?.context.cluster)?.cluster;
  const user = config.users?.find((u) => u.name === context?.context.user)?.user;
  if (!cluster?.server) throw new Error(`${path}: the current context names no cluster server`);
  const caData = cluster["certificate-authority-data"];
  const caFile = cluster["certificate-authority"];
  return {
    server: cluster.server,
    token: user?.token ?? "",
    ca: caData ? Buffer.from(caData, "base64").toString("utf8") : caFile ? readFileSync(caFile, "utf8") : undefined,
    insecureSkipTlsVerify: cluster["insecure-skip-tls-verify"],
  };
}
