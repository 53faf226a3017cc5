/**
 * Every example in examples/ applied with the real kubectl to real agents (process runtime) whose
 * labels fit the docs' examples, checking where each DaemonSet's pods land and that they run:
 * fluentd-style logging (extensions/v1beta1, OnDelete) and the node exporter (hostNetwork, its
 * metrics scraped) on every device, the disktype=ssd nodeSelector, the e2e-az-name node affinity,
 * the security=S1 pod affinity next to the static pod of examples/static-pods/, whose mirror pod
 * the API shows (and brings back when deleted).
 *
 * All agents share this machine, so the node exporter's port 9100 is replaced by a free port and
 * only the first exporter to bind it serves (the others crash-loop on the taken port); placement
 * is still checked on every device.
 */
import { readdirSync, readFileSync, copyFileSync, mkdtempSync, rmSync, unlinkSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pod } from "../../src/resources/types.ts";
import { removeStateDir, startAgent, type AgentProcess } from "../support/agents.ts";
import { startControlPlane, type ControlPlane } from "../support/control-plane.ts";
import { createKubectl, type Kubectl } from "../support/kubectl.ts";
import { parsePrometheusText } from "../support/prometheus-text.ts";
import { waitFor } from "../support/wait.ts";

const examples = join(import.meta.dirname, "..", "..", "examples");
const az = "kubernetes.io/e2e-az-name";
const p = `ex${process.pid}`;
const nodes = {
  ssd: `${p}-ssd`,
  az2: `${p}-az2`,
  az3: `${p}-az3`,
  plain: `${p}-plain`,
};
const labels: Record<string, Record<string, string>> = {
  [nodes.ssd]: { disktype: "ssd", [az]: "e2e-az1", "another-node-label-key": "another-node-label-value" },
  [nodes.az2]: { [az]: "e2e-az2" },
  [nodes.az3]: { [az]: "e2e-az3", disktype: "hdd" },
  [nodes.plain]: {},
};
const all = Object.values(nodes).sort();

let cp: ControlPlane;
let k: Kubectl;
let manifestDir: string;
const agents: AgentProcess[] = [];

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

async function pods(namespace: string, selector: string): Promise<Pod[]> {
  const res = await cp.api("GET", `/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(selector)}`);
  return (res.json().items as Pod[]).filter((pod) => !pod.spec.nodeName || all.includes(pod.spec.nodeName));
}

const ready = (pod: Pod) => pod.status?.phase === "Running" && pod.status.conditions?.some((c) => c.type === "Ready" && c.status === "True");
const running = (pod: Pod) => pod.status?.phase === "Running";
const nodesOf = (list: Pod[]) => list.map((pod) => pod.spec.nodeName ?? "").filter(Boolean).sort();

/** Waits until the pods matching `selector` are bound to exactly `expected` and pass `check`. */
async function landOn(namespace: string, selector: string, expected: string[], check: (list: Pod[]) => boolean = (list) => list.every(ready)): Promise<Pod[]> {
  return waitFor(`${selector} on ${expected.join(", ")}`, async () => {
    const bound = (await pods(namespace, selector)).filter((pod) => pod.spec.nodeName);
    return JSON.stringify(nodesOf(bound)) === JSON.stringify([...expected].sort()) && check(bound) ? bound : undefined;
  }, 90_000, 500);
}

async function apply(file: string, text?: string): Promise<void> {
  const result = text === undefined ? await k.run("apply", "-f", join(examples, file)) : await k.run("apply", "-f", "-", { stdin: text });
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
}

beforeAll(async () => {
  cp = await startControlPlane();
  k = createKubectl(cp);
  manifestDir = mkdtempSync(join(tmpdir(), "edgeset-e2e-example-manifests-"));
  copyFileSync(join(examples, "static-pods", "security-s1.yaml"), join(manifestDir, "security-s1.yaml"));
  for (const name of all) agents.push(await startAgent(cp, { nodeName: name, labels: labels[name], extraArgs: name === nodes.ssd ? ["--pod-manifest-dir", manifestDir] : [] }));
  await waitFor("four nodes Ready", async () => {
    const items = (await cp.api("GET", "/api/v1/nodes")).json().items as { status?: { conditions?: { type: string; status: string }[] } }[];
    return items.filter((n) => n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")).length === 4;
  }, 60_000);
});

afterAll(async () => {
  // The workloads outlive their agents (edge autonomy): delete them through the API first.
  await k?.run("delete", "-f", examples, "--ignore-not-found", "--wait=false");
  if (manifestDir) rmSync(join(manifestDir, "security-s1.yaml"), { force: true });
  await waitFor("every example pod gone", async () => (await cp.api("GET", "/api/v1/pods")).json().items.filter((pod: Pod) => all.includes(pod.spec.nodeName ?? "")).length === 0, 60_000).catch((error) => console.warn(error.message));
  await Promise.all(agents.map((a) => a.stop()));
  killLeftovers();
  agents.forEach(removeStateDir);
  if (manifestDir) rmSync(manifestDir, { recursive: true, force: true });
  k?.cleanup();
  await cp?.stop();
});

/** Processes an agent of this file started (they carry its E2E_NODE), once the agents are gone. */
function killLeftovers(): void {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const env = readFileSync(`/proc/${entry}/environ`, "utf8").split("\0");
      if (env.some((e) => e.startsWith(`E2E_NODE=${p}-`))) process.kill(Number(entry), "SIGKILL");
    } catch {
      // gone, or not ours
    }
  }
}

describe("examples/", () => {
  it("every DaemonSet example is covered here", () => {
    expect(readdirSync(examples).filter((f) => f.endsWith(".yaml")).sort()).toEqual(["fluentd-logging.yaml", "hello-daemonset.yaml", "node-exporter.yaml", "pod-affinity.yaml", "ssd-node-selector.yaml", "zone-node-affinity.yaml"]);
  });

  it("hello-daemonset: on the devices labelled edgeset.dev/demo=true", async () => {
    expect((await k.run("label", "node", nodes.plain, "edgeset.dev/demo=true")).code).toBe(0);
    await apply("hello-daemonset.yaml");
    await landOn("default", "app=hello", [nodes.plain]);
  });

  it("fluentd-logging: extensions/v1beta1, OnDelete by default, on every device", async () => {
    await apply("fluentd-logging.yaml");
    await landOn("kube-system", "name=fluentd-elasticsearch", all, (list) => list.every(running));
    const strategy = await k.run("get", "ds", "fluentd-elasticsearch", "-n", "kube-system", "-o", "jsonpath={.spec.updateStrategy.type}");
    expect(strategy.stdout).toBe("OnDelete");
  });

  it("node-exporter: apps/v1 on the host network of every device, serving node metrics", async () => {
    const port = await freePort();
    await apply("node-exporter.yaml", readFileSync(join(examples, "node-exporter.yaml"), "utf8").replaceAll("9100", String(port)));
    const bound = await landOn("default", "app=node-exporter", all, (list) => list.some(ready));
    expect(bound.every((pod) => pod.spec.hostNetwork === true)).toBe(true);
    const body = await waitFor("the exporter's metrics", async () => {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      return res.ok ? res.text() : undefined;
    });
    expect(parsePrometheusText(body).value("node_load1")).toBeGreaterThanOrEqual(0);
  });

  it("ssd-node-selector: only on the disktype=ssd device", async () => {
    await apply("ssd-node-selector.yaml");
    await landOn("default", "app=ssd-cache", [nodes.ssd]);
  });

  it("zone-node-affinity: on the e2e-az1 and e2e-az2 devices", async () => {
    await apply("zone-node-affinity.yaml");
    await landOn("default", "app=zone-agent", [nodes.ssd, nodes.az2]);
  });

  it("static-pods/security-s1: runs on its device, shown as a mirror pod", async () => {
    const mirror = await waitFor("the mirror pod", async () => {
      const res = await cp.api("GET", `/api/v1/namespaces/default/pods/security-gateway-${nodes.ssd}`);
      return res.status === 200 && running(res.json()) ? (res.json() as Pod) : undefined;
    }, 60_000);
    expect(mirror.metadata.labels).toMatchObject({ security: "S1" });
    expect(mirror.metadata.annotations?.["kubernetes.io/config.mirror"]).toBeTruthy();
    // Deleting the mirror does not stop the static pod: the mirror comes back with the next sync.
    expect((await k.run("delete", "pod", `security-gateway-${nodes.ssd}`, "--wait=false")).code).toBe(0);
    await waitFor("the mirror pod back", async () => {
      const res = await cp.api("GET", `/api/v1/namespaces/default/pods/security-gateway-${nodes.ssd}`);
      return res.status === 200 && res.json().metadata.uid !== mirror.metadata.uid;
    }, 60_000);
  });

  it("pod-affinity: next to the security=S1 pod only; Pending elsewhere", async () => {
    await apply("pod-affinity.yaml");
    await landOn("default", "app=with-pod-affinity", [nodes.ssd]);
    const pending = await waitFor("three Pending pods", async () => {
      const unbound = (await pods("default", "app=with-pod-affinity")).filter((pod) => !pod.spec.nodeName);
      return unbound.length === 3 ? unbound : undefined;
    });
    expect(pending.every((pod) => pod.status?.conditions?.some((c) => c.type === "PodScheduled" && c.status === "False" && c.reason === "Unschedulable"))).toBe(true);
  });
});
