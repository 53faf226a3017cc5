/**
 * The `edgeset` CLI's fleet commands against the real Worker and real agents: `edgeset fleet`
 * counts the nodes by state and label and follows a DaemonSet's rollout to complete, in plain text
 * through a pipe; `edgeset install-command` prints a command that, run on a "device" (a scratch
 * root, a stand-in sudo and systemctl), fetches the installer over the private certificate it
 * embeds and leaves the agent configured with a fresh single-use token. `/metrics` from the real
 * Worker parses.
 */
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestJson } from "../../scripts/lib/http.ts";
import { killWorkloads, startAgent, workloadContainer, type AgentProcess } from "../support/agents.ts";
import { startControlPlane, type ControlPlane } from "../support/control-plane.ts";
import { daemonSet } from "../support/manifests.ts";
import { parsePrometheusText } from "../support/prometheus-text.ts";
import { waitFor } from "../support/wait.ts";

const cli = join(import.meta.dirname, "..", "..", "bin", "edgeset.ts");
const marker = `e2e-cli-${process.pid}`;
const root = mkdtempSync(join(tmpdir(), "edgeset-e2e-cli-"));
let cp: ControlPlane;
const agents: AgentProcess[] = [];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A child process, asynchronously: the Worker's dev server lives in this process and must keep answering. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env, cwd?: string): Promise<Run> {
  const child = spawn(command, args, { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
}

const edgeset = (...args: string[]) => run(process.execPath, [cli, ...args, "--server", cp.connection.server, "--token", cp.connection.token, "--ca-file", cp.caFile]);

beforeAll(async () => {
  cp = await startControlPlane();
  agents.push(
    await startAgent(cp, { nodeName: "cli-a1", labels: { site: "alpha" } }),
    await startAgent(cp, { nodeName: "cli-a2", labels: { site: "alpha" } }),
    await startAgent(cp, { nodeName: "cli-b1", labels: { site: "beta" } }),
  );
  await waitFor("three Ready nodes", async () => {
    const nodes = (await cp.api("GET", "/api/v1/nodes")).json().items as { status?: { conditions?: { type: string; status: string }[] } }[];
    return nodes.filter((n) => n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")).length === 3;
  }, 60_000);
});

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  killWorkloads(marker);
  rmSync(root, { recursive: true, force: true });
  await cp?.stop();
});

describe("edgeset fleet", () => {
  it("counts nodes by state and label, and shows a DaemonSet's rollout complete", async () => {
    expect((await cp.mergePatch("/api/v1/nodes/cli-b1", { spec: { unschedulable: true } })).status).toBe(200);
    const ds = daemonSet({ name: "cli-web", nodeSelector: { site: "alpha" }, containers: [workloadContainer(marker)] });
    expect((await cp.api("POST", "/apis/apps/v1/namespaces/default/daemonsets", ds)).status).toBe(201);
    const done = await waitFor("edgeset fleet to show cli-web complete", async () => {
      const out = await edgeset("fleet", "--by", "site");
      return out.code === 0 && /default\s+cli-web\s+2\s+2\s+2\s+2\s+complete/.test(out.stdout) && /alpha\s+2\s+2\s+0\s+0\s+0/.test(out.stdout) ? out : undefined;
    }, 90_000, 1000);
    expect(done.stdout).toMatch(/^SITE\s+TOTAL\s+READY\s+NOT READY\s+UNKNOWN\s+CORDONED$/m);
    expect(done.stdout).toMatch(/^beta\s+1\s+1\s+0\s+0\s+1$/m);
    expect(done.stdout).toMatch(/^\(all\)\s+3\s+3\s+0\s+0\s+1$/m);
    // A pipe gets no colours and no progress.
    expect(done.stdout).not.toContain("\x1b[");
    expect(done.stderr).toBe("");

    const narrowed = await edgeset("fleet", "--selector", "site=beta");
    expect(narrowed.stdout).toMatch(/^all\s+1\s+1\s+0\s+0\s+1$/m);
  });

  it("the same fleet in /metrics", async () => {
    const res = await requestJson(cp.connection, "GET", "/metrics");
    expect(res.status).toBe(200);
    const m = parsePrometheusText(res.body);
    expect(m.value("kube_daemonset_status_number_available", { daemonset: "cli-web" })).toBe(2);
    expect(m.value("kube_node_spec_unschedulable", { node: "cli-b1" })).toBe(1);
    expect(m.value("edgeset_nodes", { ready: "True" })).toBe(3);
    expect(m.samples("edgeset_syncs_total", { result: "304", path: "shard" }).reduce((n, s) => n + s.value, 0)).toBeGreaterThan(0);
  });
});

describe("edgeset install-command", () => {
  it("prints a command that installs a device with a fresh single-use token over the embedded certificate", async () => {
    const out = await edgeset("install-command", "--labels", "site=gamma,hw=pi4", "--node-name", "cli-new-device");
    expect(out.code).toBe(0);
    expect(out.stderr).toMatch(/^bootstrap token [a-z0-9]{6}: 1 enrolment, until \S+ \(revoke: edgeset token delete [a-z0-9]{6}\)\n$/);
    const id = /bootstrap token ([a-z0-9]{6})/.exec(out.stderr)![1]!;
    expect(out.stdout).toContain(`${cp.connection.server}/install.sh`);

    // The "device": sudo passes its VAR=value arguments on as env does; systemctl only records.
    const bin = join(root, "bin");
    const device = join(root, "device");
    await run("mkdir", ["-p", bin, device]);
    writeFileSync(join(bin, "sudo"), '#!/bin/sh\nexec env "$@"\n');
    writeFileSync(join(bin, "systemctl"), `#!/bin/sh\necho "$*" >> ${join(root, "systemctl.log")}\n`);
    chmodSync(join(bin, "sudo"), 0o755);
    chmodSync(join(bin, "systemctl"), 0o755);
    const installed = await run("sh", ["-c", out.stdout], { PATH: `${bin}:/usr/local/bin:/usr/bin:/bin`, EDGESET_PREFIX: join(root, "fs"), EDGESET_SYSTEMCTL: join(bin, "systemctl") }, device);
    expect(installed.stderr).toBe("");
    expect(installed.code).toBe(0);

    const settings = readFileSync(join(root, "fs", "etc", "edgeset", "agent.env"), "utf8");
    expect(settings).toContain("EDGESET_LABELS=site=gamma,hw=pi4\n");
    expect(settings).toContain("EDGESET_NODE_NAME=cli-new-device\n");
    expect(readFileSync(join(root, "fs", "etc", "edgeset", "ca.pem"), "utf8")).toBe(readFileSync(cp.caFile, "utf8"));
    const token = /^EDGESET_BOOTSTRAP_TOKEN=(.+)$/m.exec(settings)![1]!;
    expect(token.startsWith(`${id}.`)).toBe(true);

    const listed = await edgeset("token", "list");
    expect(listed.stdout).toMatch(new RegExp(`^${id}\\s+\\S+\\s+1\\s+install-command for cli-new-device`, "m"));
    const enrol = (nodeName: string) => requestJson({ ...cp.connection, token }, "POST", "/agent/v1/enroll", { nodeName, labels: { site: "gamma" } });
    expect((await enrol("cli-new-device")).status).toBe(201);
    // Single use: a second device cannot enroll with it.
    expect((await enrol("cli-other-device")).status).toBe(401);
  });

  it("refuses bad flags before making a token", async () => {
    const out = await edgeset("install-command", "--labels", "site=a;reboot");
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("--labels must be key=value pairs");
  });
});
