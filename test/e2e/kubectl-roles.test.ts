/**
 * Roles with the real kubectl and the real `edgeset` CLI: tokens made by `edgeset token create
 * --role`, then what kubectl prints for a viewer and an operator (the apiserver's Forbidden
 * wording), `kubectl auth can-i` and `whoami` for each, and the refusals in `edgeset audit`.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startControlPlane, type ControlPlane } from "../support/control-plane.ts";
import { createKubectl, type Kubectl } from "../support/kubectl.ts";
import { daemonSet } from "../support/manifests.ts";


const cli = join(import.meta.dirname, "..", "..", "bin", "edgeset.ts");
let cp: ControlPlane;
let admin: Kubectl;
let viewer: Kubectl;
let operator: Kubectl;
let viewerId: string;
let operatorId: string;

function edgeset(...args: string[]): { stdout: string; stderr: string; code: number | null } {
  const result = spawnSync(process.execPath, [cli, ...args, "--server", cp.connection.server, "--token", cp.connection.token, "--ca-file", cp.caFile], { encoding: "utf8" });
  return { stdout: result.stdout, stderr: result.stderr, code: result.status };
}

function tokenFor(...args: string[]): string {
  const result = edgeset("token", "create", ...args);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return result.stdout.trim();
}

const manifest = (name: string) => JSON.stringify(daemonSet({ name, nodeSelector: { "e2e.edgeset.dev/none": "true" }, containers: [{ name: "main", image: "busybox:1.36" }] }));

describe("kubectl with roles", () => {
  beforeAll(async () => {
    cp = await startControlPlane();
    admin = createKubectl(cp);
    expect((await cp.api("POST", "/agent/v1/enroll", { nodeName: "roles-1" })).status).toBe(201);
    expect((await admin.run("create", "namespace", "team-a")).code).toBe(0);
    const viewerToken = tokenFor("--role", "viewer", "--ttl", "1h", "--description", "dashboard");
    const operatorToken = tokenFor("--role", "operator", "--namespace", "team-a", "--ttl", "1h");
    viewerId = viewerToken.split(".")[1]!;
    operatorId = operatorToken.split(".")[1]!;
    viewer = admin.withConnection({ ...cp.connection, token: viewerToken });
    operator = admin.withConnection({ ...cp.connection, token: operatorToken });
  });

  afterAll(async () => {
    viewer?.cleanup();
    operator?.cleanup();
    admin?.cleanup();
    await cp?.stop();
  });

  it("lists the tokens with their roles, never their secrets", () => {
    const listed = edgeset("token", "list");
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`${viewerId}\\s+viewer\\s+\\*\\s+\\S+\\s+dashboard`));
    expect(listed.stdout).toMatch(new RegExp(`${operatorId}\\s+operator\\s+team-a`));
  });

  it("a viewer reads, is refused writes and Secrets in Kubernetes' words, and can-i agrees", async () => {
    expect((await admin.run("apply", "-n", "team-a", "-f", admin.file("ds.json", manifest("web")))).code).toBe(0);
    const got = await viewer.run("get", "ds", "-n", "team-a");
    expect(got.code).toBe(0);
    expect(got.stdout).toMatch(/^web\s/m);
    const refused = await viewer.run("delete", "ds", "web", "-n", "team-a");
    expect(refused.stderr).toBe(`Error from server (Forbidden): daemonsets.apps "web" is forbidden: User "token:${viewerId}" cannot delete resource "daemonsets" in API group "apps" in the namespace "team-a"\n`);
    expect(refused.code).toBe(1);
    const secrets = await viewer.run("get", "secrets", "-n", "team-a");
    expect(secrets.stderr).toContain(`Error from server (Forbidden): secrets is forbidden: User "token:${viewerId}" cannot list resource "secrets" in API group "" in the namespace "team-a"`);
    expect(await viewer.run("auth", "can-i", "list", "daemonsets", "-n", "team-a")).toMatchObject({ stdout: "yes\n", code: 0 });
    expect(await viewer.run("auth", "can-i", "delete", "daemonsets", "-n", "team-a")).toMatchObject({ stdout: "no\n", code: 1 });
    expect(await viewer.run("auth", "can-i", "get", "secrets")).toMatchObject({ stdout: "no\n", code: 1 });
    const whoami = await viewer.run("auth", "whoami");
    expect(whoami.code).toBe(0);
    expect(whoami.stdout).toMatch(new RegExp(`Username\\s+token:${viewerId}`));
    expect(whoami.stdout).toMatch(/Groups\s+\[edgeset:viewers system:authenticated\]/);
  });

  it("an operator works in its namespace, labels nodes, and nothing more", async () => {
    expect(await operator.run("apply", "-n", "team-a", "-f", operator.file("ds.json", manifest("op-web")))).toMatchObject({ stderr: "", code: 0 });
    expect(await operator.run("create", "secret", "generic", "db", "-n", "team-a", "--from-literal=password=x")).toMatchObject({ stderr: "", code: 0 });
    const elsewhere = await operator.run("apply", "-n", "default", "-f", operator.file("ds2.json", manifest("op-web")));
    expect(elsewhere.stderr).toContain(`is forbidden: User "token:${operatorId}" cannot`);
    expect(elsewhere.code).toBe(1);
    expect(await operator.run("label", "node", "roles-1", "zone=b")).toMatchObject({ stderr: "", code: 0 });
    const cordon = await operator.run("cordon", "roles-1");
    expect(cordon.stderr).toContain(`nodes "roles-1" is forbidden: User "token:${operatorId}" cannot patch resource "nodes" in API group "" at the cluster scope: an operator may patch only metadata.labels and metadata.annotations of a node`);
    expect(await operator.run("auth", "can-i", "delete", "secrets", "-n", "team-a")).toMatchObject({ stdout: "yes\n", code: 0 });
    expect(await operator.run("auth", "can-i", "delete", "secrets", "-n", "default")).toMatchObject({ stdout: "no\n", code: 1 });
    expect(await operator.run("auth", "can-i", "delete", "nodes")).toMatchObject({ stdout: "no\n", code: 1 });
    const list = await operator.run("auth", "can-i", "--list", "-n", "team-a");
    expect(list).toMatchObject({ stderr: "", code: 0 });
    expect(list.stdout).toMatch(/^secrets\s+\[\]\s+\[\]\s+\[.*delete.*\]/m);
  });

  it("edgeset audit shows who did what, refusals included", () => {
    const audit = edgeset("audit", "--since", "10m", "--limit", "500");
    expect(audit.code).toBe(0);
    expect(audit.stdout).toMatch(new RegExp(`token:${viewerId}\\s+viewer\\s+delete\\s+daemonsets.apps/web\\s+team-a\\s+403`));
    expect(audit.stdout).toMatch(new RegExp(`token:${operatorId}\\s+operator\\s+patch\\s+nodes/roles-1\\s+200`));
    expect(audit.stdout).toMatch(/admin\s+admin\s+create\s+nodes\/roles-1\s+201/);
  });
});
