/**
 * @module
 * `edgeset install-command`: the one command to paste on a new device. It creates a fresh
 * bootstrap token (by default for one enrolment, valid 24 h) and prints the documented install
 * (`curl …/install.sh` then `sudo EDGESET_BOOTSTRAP_TOKEN=… sh install.sh …`, docs/agent.md) with
 * it. A control plane with a private certificate (the CLI was given one to trust) gets it embedded
 * in the command, written to `edgeset-ca.pem` on the device and passed to curl and the installer.
 * stdout is the command only; what the token allows goes to stderr.
 *
 * @example
 * npm run edgeset -- install-command --labels site=shop-7,hw=pi4 --node-name shop-7-pi
 */
import { errorMessage, requestJson } from "../../scripts/lib/http.ts";
import type { Connection } from "../../scripts/lib/kubeconfig.ts";

export interface InstallCommandInput {
  /** The control plane as the device reaches it. */
  server: string;
  token: string;
  /** PEM to trust, when the server's certificate is not publicly trusted. */
  ca?: string;
  labels?: string;
  nodeName?: string;
  runtime?: string;
}

/** POSIX sh single quotes. */
const quote = (text: string) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`);

/** The shell command, one line per step so it reads well when pasted. */
export function renderInstallCommand(input: InstallCommandInput): string {
  const server = input.server.replace(/\/+$/, "");
  const caFile = "edgeset-ca.pem";
  const args = [
    ...(input.labels ? ["--labels", input.labels] : []),
    ...(input.nodeName ? ["--node-name", input.nodeName] : []),
    ...(input.runtime ? ["--runtime", input.runtime] : []),
  ].map(quote);
  const env = [`EDGESET_BOOTSTRAP_TOKEN=${quote(input.token)}`, ...(input.ca ? [`EDGESET_CA_FILE="$PWD/${caFile}"`] : [])];
  const steps = [
    ...(input.ca ? [`printf '%s\\n' ${quote(input.ca.trim())} > ${caFile}`] : []),
    `curl -fsSL ${input.ca ? `--cacert ${caFile} ` : ""}${quote(`${server}/install.sh`)} -o install.sh`,
    ["sudo", ...env, "sh", "install.sh", ...args].join(" "),
  ];
  return `${steps.join(" &&\n  ")}\n`;
}

export interface InstallCommandOptions {
  ttlSeconds?: number;
  usages?: number;
  labels?: string;
  nodeName?: string;
  runtime?: string;
  /** The address devices use, when it is not the one this CLI talks to. */
  deviceServer?: string;
}

const labelPair = /^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?=([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Checks the flags before any token is made; a message naming the flag, or undefined. */
export function checkInstallOptions(options: InstallCommandOptions): string | undefined {
  if (options.labels !== undefined && !options.labels.split(",").every((pair) => labelPair.test(pair))) return `--labels must be key=value pairs separated by commas (got ${JSON.stringify(options.labels)})`;
  if (options.runtime !== undefined && !["process", "docker", "podman"].includes(options.runtime)) return "--runtime must be process, docker or podman";
  if (options.nodeName !== undefined && !/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(options.nodeName)) return "--node-name must be a DNS subdomain (lower case letters, digits, - and .)";
  if (options.deviceServer !== undefined && !/^https?:\/\/[^\s'"]+$/.test(options.deviceServer)) return "--device-server must be an http(s) URL";
  return undefined;
}

/** Creates the token and returns the command; `note` is what the token allows, for stderr. */
export async function installCommand(connection: Connection, options: InstallCommandOptions): Promise<{ command: string; note: string }> {
  const usages = options.usages ?? 1;
  const result = await requestJson(connection, "POST", "/edgeset/v1/bootstraptokens", {
    ttlSeconds: options.ttlSeconds ?? 86_400,
    usages,
    description: `install-command${options.nodeName ? ` for ${options.nodeName}` : ""}${options.labels ? ` (${options.labels})` : ""}`.slice(0, 200),
  });
  if (result.status !== 201) throw new Error(errorMessage(result));
  const created = JSON.parse(result.body) as { token: string; id: string; expires: string | null };
  const command = renderInstallCommand({ server: options.deviceServer ?? connection.server, token: created.token, ca: connection.ca, labels: options.labels, nodeName: options.nodeName, runtime: options.runtime });
  const note = `bootstrap token ${created.id}: ${usages} enrolment${usages === 1 ? "" : "s"}, ${created.expires ? `until ${created.expires}` : "never expires"} (revoke: edgeset token delete ${created.id})`;
  return { command, note };
}
