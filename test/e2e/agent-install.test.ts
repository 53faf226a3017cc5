/**
 * Installing a device the documented way, end to end: the installer served by the real Worker
 * (`/install.sh`) runs under a scratch root with a stand-in systemctl, downloads the agent bundle
 * the Worker serves, writes the settings and the systemd unit; the installed agent then runs
 * exactly as the unit says, on the system's Node.js 20, enrolls and runs a DaemonSet's workload.
 * A second run (an upgrade, no token) keeps the settings.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createBootstrapToken, findWorkloads, killWorkloads, workloadContainer } from "../support/agents.ts";
import { startControlPlane, type ControlPlane } from "../support/control-plane.ts";
import { daemonSet } from "../support/manifests.ts";
import { waitFor } from "../support/wait.ts";

const marker = `e2e-install-${process.pid}`;
const root = mkdtempSync(join(tmpdir(), "edgeset-e2e-install-"));
const node20 = "/usr/bin/node";
let cp: ControlPlane;
let agent: ChildProcess | undefined;
let output = "";

beforeAll(async () => {
  cp = await startControlPlane();
});

afterAll(async () => {
  agent?.kill("SIGKILL");
  killWorkloads(marker);
  rmSync(root, { recursive: true, force: true });
  await cp?.stop();
});

/** A systemctl that records its arguments. */
function fakeSystemctl(): { path: string; calls: () => string[] } {
  const path = join(root, "systemctl");
  const log = join(root, "systemctl.log");
  writeFileSync(path, `#!/bin/sh\necho "$*" >> ${log}\n`);
  chmodSync(path, 0o755);
  return { path, calls: () => readFileSync(log, "utf8").trim().split("\n") };
}

/** Runs the installer (asynchronously: the Worker's dev server lives in this process and must keep answering). */
function runInstaller(script: string, args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn("sh", [script, ...args], {
    // The system's Node.js (20) only: the test's own Node 22 stays off the PATH.
    env: { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", EDGESET_PREFIX: join(root, "fs"), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise((resolve) => child.once("close", (status) => resolve({ status, stdout, stderr })));
}

it("installs, enrolls and runs a workload from the served installer, on Node.js 20", async () => {
  const systemctl = fakeSystemctl();
  const served = await cp.api("GET", "/install.sh");
  expect(served.status).toBe(200);
  const script = join(root, "install.sh");
  writeFileSync(script, served.body);

  const token = await createBootstrapToken(cp);
  const first = await runInstaller(script, ["--labels", "site=lab,hw=pi4", "--node-name", "pi-lab-1", "--sync-interval", "1"], {
    EDGESET_BOOTSTRAP_TOKEN: token,
    EDGESET_CA_FILE: cp.caFile,
    EDGESET_SYSTEMCTL: systemctl.path,
  });
  expect(first.stderr).toBe("");
  expect(first.status).toBe(0);
  expect(first.stdout).toMatch(/using Node\.js v2\d\.\d+\.\d+ at \/usr\/bin\/node/);

  const fs = join(root, "fs");
  expect(readFileSync(join(fs, "opt/edgeset/edgeset-agent.cjs"), "utf8")).toBe(readFileSync("public/edgeset-agent.js", "utf8"));
  const envFile = join(fs, "etc/edgeset/agent.env");
  expect(statSync(envFile).mode & 0o777).toBe(0o600);
  const settings = Object.fromEntries(readFileSync(envFile, "utf8").trim().split("\n").map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
  expect(settings).toEqual({
    EDGESET_SERVER: cp.url,
    EDGESET_STATE_DIR: join(fs, "var/lib/edgeset"),
    EDGESET_BOOTSTRAP_TOKEN: token,
    EDGESET_CA_FILE: join(fs, "etc/edgeset/ca.pem"),
    EDGESET_LABELS: "site=lab,hw=pi4",
    EDGESET_NODE_NAME: "pi-lab-1",
    EDGESET_SYNC_INTERVAL: "1",
  });
  const unit = readFileSync(join(fs, "etc/systemd/system/edgeset-agent.service"), "utf8");
  const execStart = /^ExecStart=(.*)$/m.exec(unit)![1].split(" ");
  expect(execStart).toEqual([node20, join(fs, "opt/edgeset/edgeset-agent.cjs")]);
  expect(unit).toContain("KillMode=process");
  expect(systemctl.calls()).toEqual(["daemon-reload", "enable edgeset-agent.service", "restart edgeset-agent.service"]);

  // Start it as systemd would: ExecStart with the EnvironmentFile's variables.
  agent = spawn(execStart[0], execStart.slice(1), { env: { PATH: process.env.PATH, ...settings, E2E_NODE: "pi-lab-1" }, stdio: ["ignore", "pipe", "pipe"] });
  agent.stderr!.on("data", (d) => (output += d));
  await waitFor("the device enrolled and Ready", async () => {
    const res = await cp.api("GET", "/api/v1/nodes/pi-lab-1");
    return res.status === 200 && res.json().status?.conditions?.some((c: any) => c.type === "Ready" && c.status === "True") && res.json();
  });
  const nodeObject = (await cp.api("GET", "/api/v1/nodes/pi-lab-1")).json();
  expect(nodeObject.metadata.labels).toMatchObject({ site: "lab", hw: "pi4" });
  expect(nodeObject.status.nodeInfo.kubeletVersion).toMatch(/^edgeset-agent\//);

  const created = await cp.api("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet({ name: "lab-probe", nodeSelector: { site: "lab" }, containers: [workloadContainer(marker)] }));
  expect(created.status).toBe(201);
  await waitFor("the workload on the installed device", () => findWorkloads(marker).some((w) => w.node === "pi-lab-1"));
  expect(output).toContain("enrolled as node pi-lab-1");

  // An upgrade: no token, no options; the settings stay as they were.
  const again = await runInstaller(script, [], { EDGESET_SYSTEMCTL: systemctl.path });
  expect(again.status).toBe(0);
  expect(readFileSync(envFile, "utf8")).toBe(Object.entries(settings).map(([k, v]) => `${k}=${v}\n`).join(""));
}, 120_000);
