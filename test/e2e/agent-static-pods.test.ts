/**
 * Static pods end to end: a manifest in the agent's --pod-manifest-dir runs on the device and
 * shows up in the API as a mirror pod; deleting the mirror pod through the API does not stop the
 * workload (the mirror comes back at the next sync); changing the file restarts the workload with
 * the new spec; removing it stops the workload and removes the mirror pod.
 */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { findWorkloads, killWorkloads, removeStateDir, startAgent, type AgentProcess } from "../support/agents.ts";
import { startControlPlane, type ControlPlane } from "../support/control-plane.ts";
import { waitFor } from "../support/wait.ts";

const marker = `e2e-static-${process.pid}`;
const manifests = mkdtempSync(join(tmpdir(), "edgeset-e2e-manifests-"));
let cp: ControlPlane;
let agent: AgentProcess;

beforeAll(async () => {
  cp = await startControlPlane();
  agent = await startAgent(cp, { nodeName: "gateway-3", extraArgs: ["--pod-manifest-dir", manifests] });
});

afterAll(async () => {
  await agent?.stop();
  killWorkloads(marker);
  if (agent) removeStateDir(agent);
  rmSync(manifests, { recursive: true, force: true });
  await cp?.stop();
});

/** Writes the manifest the way an editor or config tool would: a temporary file renamed into place. */
function writeManifest(version: string): void {
  const text = `apiVersion: v1
kind: Pod
metadata:
  name: modbus-bridge
  labels: { app: modbus-bridge }
spec:
  containers:
    - name: bridge
      image: busybox:1.36
      command: ["sh", "-c", "while true; do sleep 1; done", "${marker}", "${version}"]
`;
  writeFileSync(join(manifests, ".bridge.yaml.tmp"), text);
  renameSync(join(manifests, ".bridge.yaml.tmp"), join(manifests, "bridge.yaml"));
}

const mirrorPath = "/api/v1/namespaces/default/pods/modbus-bridge-gateway-3";
const mirror = async () => {
  const res = await cp.api("GET", mirrorPath);
  return res.status === 200 ? res.json() : undefined;
};
const running = () => findWorkloads(marker);

it("runs a static pod, mirrors it, survives a mirror delete, follows its file and goes with it", async () => {
  writeManifest("v1");
  const [first] = await waitFor("the static pod's process", () => (running().length === 1 ? running() : undefined));
  const m1 = await waitFor("the mirror pod, Running and Ready", async () => {
    const pod = await mirror();
    return pod?.status?.phase === "Running" && pod.status.conditions?.some((c: any) => c.type === "Ready" && c.status === "True") && pod;
  });
  expect(m1.metadata.annotations).toMatchObject({
    "kubernetes.io/config.mirror": m1.metadata.annotations["kubernetes.io/config.hash"],
    "kubernetes.io/config.source": "file",
  });
  expect(m1.metadata.ownerReferences).toEqual([expect.objectContaining({ apiVersion: "v1", kind: "Node", name: "gateway-3", controller: true })]);
  expect(m1.spec.nodeName).toBe("gateway-3");

  // Deleting the mirror pod does not stop the workload; the mirror comes back.
  expect((await cp.api("DELETE", mirrorPath)).status).toBe(200);
  const m2 = await waitFor("the mirror pod back", async () => {
    const pod = await mirror();
    return pod && pod.metadata.uid !== m1.metadata.uid && pod;
  });
  expect(m2.metadata.annotations["kubernetes.io/config.hash"]).toBe(m1.metadata.annotations["kubernetes.io/config.hash"]);
  expect(running().map((w) => w.pid)).toEqual([first.pid]);

  // A changed file is a new pod: the workload restarts with the new spec, the mirror is replaced.
  writeManifest("v2");
  const [second] = await waitFor("the workload restarted with v2", () => {
    const found = running();
    return found.length === 1 && found[0].cmdline.includes("v2") ? found : undefined;
  });
  expect(second.pid).not.toBe(first.pid);
  await waitFor("the mirror pod replaced", async () => {
    const pod = await mirror();
    return pod && pod.metadata.annotations["kubernetes.io/config.hash"] !== m1.metadata.annotations["kubernetes.io/config.hash"] && pod.status?.phase === "Running";
  });

  // The file goes: the workload stops and the mirror pod is removed.
  rmSync(join(manifests, "bridge.yaml"));
  await waitFor("the workload stopped", () => running().length === 0);
  await waitFor("the mirror pod removed", async () => (await mirror()) === undefined);
  expect(agent.output()).not.toContain("skipped");
});
