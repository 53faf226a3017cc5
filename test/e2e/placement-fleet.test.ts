/**
 * Placement end to end: the real Worker, four real agents on two sites with two hardware types,
 * DaemonSets applied with the real kubectl using each mechanism (the docs' nodeSelector,
 * node affinity and pod affinity examples, taints with and without tolerations, cordon), then
 * node labels and taints changed with kubectl, checking where the workloads really run after each
 * change. A fifth device enrolling later gets what matches it. The pods security=S1 that pod
 * affinity follows are DaemonSet pods and a static pod's mirror.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeSelectorRequirement, NodeSelectorTerm, PodSpec } from "../../src/resources/k8s-types.ts";
import type { Pod } from "../../src/resources/types.ts";
import { findWorkloads, killWorkloads, removeStateDir, startAgent, workloadContainer, type AgentProcess } from "../support/agents.ts";
import { startControlPlane, type ControlPlane } from "../support/control-plane.ts";
import { startLink, type Link } from "../support/link.ts";
import { createKubectl, type Kubectl } from "../support/kubectl.ts";
import * as manifests from "../support/manifests.ts";
import { waitFor } from "../support/wait.ts";

const prefix = `e2e-place-${process.pid}`;
const marker = (ds: string) => `${prefix}-${ds}`;
const az = "kubernetes.io/e2e-az-name";

/** Two sites (a, b), two kinds of hardware (camera, gateway). */
const fleet: Record<string, Record<string, string>> = {
  "a-cam": { site: "a", hw: "camera", disktype: "ssd", [az]: "e2e-az1", "another-node-label-key": "another-node-label-value" },
  "a-gw": { site: "a", hw: "gateway", [az]: "e2e-az2" },
  "b-cam": { site: "b", hw: "camera", [az]: "e2e-az3" },
  "b-gw": { site: "b", hw: "gateway" },
};

let cp: ControlPlane;
let k: Kubectl;
let manifestDir: string;
let link: Link;
const agents: AgentProcess[] = [];

beforeAll(async () => {
  cp = await startControlPlane();
  k = createKubectl(cp);
  link = await startLink(cp);
  // b-cam runs a static pod labelled security=S1, which the API shows as a mirror pod.
  manifestDir = mkdtempSync(join(tmpdir(), "edgeset-e2e-manifests-"));
  const sentinel = manifests.pod({ name: "sentinel", labels: { security: "S1" }, containers: [workloadContainer(marker("sentinel"))] });
  writeFileSync(join(manifestDir, "sentinel.json"), JSON.stringify(sentinel));
  for (const [nodeName, labels] of Object.entries(fleet)) {
    agents.push(await startAgent(cp, { nodeName, labels, link, extraArgs: nodeName === "b-cam" ? ["--pod-manifest-dir", manifestDir] : [] }));
  }
  await waitFor("four nodes Ready", async () => {
    const nodes = (await cp.api("GET", "/api/v1/nodes")).json().items;
    return nodes.length === 4 && nodes.every((n: any) => n.status.conditions?.some((c: any) => c.type === "Ready" && c.status === "True"));
  });
});

afterAll(async () => {
  for (const agent of agents) await agent.stop();
  killWorkloads(prefix);
  agents.forEach(removeStateDir);
  if (manifestDir) rmSync(manifestDir, { recursive: true, force: true });
  k?.cleanup();
  await link?.close();
  await cp?.stop();
});

async function kubectl(...args: string[]): Promise<string> {
  const result = await k.run(...args);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

function daemonSet(name: string, podSpec: Partial<PodSpec>, labels: Record<string, string> = {}) {
  return manifests.daemonSet({ name, containers: [workloadContainer(marker(name))], pod: podSpec, templateLabels: labels });
}

async function apply(manifest: unknown): Promise<void> {
  const result = await k.run("apply", "-f", "-", { stdin: JSON.stringify(manifest) });
  if (result.code !== 0) throw new Error(`kubectl apply: ${result.stderr}`);
}

/** The nodes whose agents run the DaemonSet's workload (one entry per process). */
const where = (name: string) => findWorkloads(marker(name)).map((w) => w.node).sort();

async function runsOn(name: string, nodes: string[], timeoutMs = 30_000): Promise<void> {
  const want = JSON.stringify([...nodes].sort());
  await waitFor(`${name} running on ${want}`, () => JSON.stringify(where(name)) === want, timeoutMs);
}

/** Still on exactly these nodes after three answered syncs of every device: nothing started or stopped. */
async function staysOn(name: string, nodes: string[]): Promise<void> {
  await runsOn(name, nodes);
  await link.waitForSyncs(agents.map((a) => a.nodeName), 3);
  expect(where(name)).toEqual([...nodes].sort());
}

const status = async (name: string) => (await cp.api("GET", `/apis/apps/v1/namespaces/default/daemonsets/${name}`)).json().status;
const podsOf = async (name: string): Promise<Pod[]> => (await cp.api("GET", `/api/v1/namespaces/default/pods?labelSelector=app%3D${name}`)).json().items;

describe("placement across a fleet of four devices", () => {
  it("nodeSelector disktype=ssd (the docs' example) follows kubectl label", async () => {
    await apply(daemonSet("ssd-monitor", { nodeSelector: { disktype: "ssd" } }));
    await runsOn("ssd-monitor", ["a-cam"]);
    await kubectl("label", "nodes", "b-cam", "disktype=ssd");
    await runsOn("ssd-monitor", ["a-cam", "b-cam"]);
    await kubectl("label", "nodes", "a-cam", "disktype-");
    await runsOn("ssd-monitor", ["b-cam"]);
    await kubectl("label", "nodes", "a-cam", "disktype=ssd");
    await runsOn("ssd-monitor", ["a-cam", "b-cam"]);
  });

  it("required node affinity In [e2e-az1, e2e-az2] with a preferred term (the docs' example)", async () => {
    await apply(
      daemonSet("az-agent", {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: az, operator: "In", values: ["e2e-az1", "e2e-az2"] }] }] },
            preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: "another-node-label-key", operator: "In", values: ["another-node-label-value"] }] } }],
          },
        },
      }),
    );
    // The preferred term changes nothing: one pod per matching node, wherever the label is.
    await runsOn("az-agent", ["a-cam", "a-gw"]);
    await waitFor("status for two nodes", async () => (await status("az-agent"))?.desiredNumberScheduled === 2);
    await kubectl("label", "nodes", "b-gw", `${az}=e2e-az2`);
    await runsOn("az-agent", ["a-cam", "a-gw", "b-gw"]);
    await kubectl("label", "nodes", "a-gw", `${az}=e2e-az9`, "--overwrite");
    await runsOn("az-agent", ["a-cam", "b-gw"]);
  });

  it("node affinity operators and terms: Gt/Lt on integers, NotIn on a missing label, matchFields, [{}], an invalid term skipped with a Warning", async () => {
    await kubectl("label", "nodes", "a-cam", "cores=4");
    await kubectl("label", "nodes", "b-cam", "cores=8");
    await kubectl("label", "nodes", "b-gw", "cores=abc");
    const required = (nodeSelectorTerms: NodeSelectorTerm[]) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms } } } });
    const expr = (key: string, operator: NodeSelectorRequirement["operator"], values?: string[]) => ({ key, operator, ...(values ? { values } : {}) });
    await apply(daemonSet("many-cores", required([{ matchExpressions: [expr("cores", "Gt", ["5"])] }])));
    // Terms are ORed: a-cam by Lt, b-gw by name; inside a term everything must hold.
    await apply(daemonSet("by-name", required([{ matchExpressions: [expr("cores", "Lt", ["5"])] }, { matchFields: [expr("metadata.name", "In", ["b-gw"])] }])));
    await apply(daemonSet("not-retired", required([{ matchExpressions: [expr("retired", "NotIn", ["yes"]), expr("hw", "NotIn", ["camera"])] }])));
    await apply(daemonSet("empty-term", required([{}])));
    await apply(daemonSet("warned", required([{ matchExpressions: [expr("cores", "Gt", ["1.5"])] }, { matchExpressions: [expr("hw", "In", ["gateway"])] }])));
    await runsOn("many-cores", ["b-cam"]);
    await runsOn("by-name", ["a-cam", "b-gw"]);
    await runsOn("not-retired", ["a-gw", "b-gw"]);
    await runsOn("warned", ["a-gw", "b-gw"]);
    await waitFor("empty-term placing nothing", async () => (await status("empty-term"))?.desiredNumberScheduled === 0);
    expect(where("empty-term")).toEqual([]);
    const warnings = await kubectl("get", "events", "--field-selector", "involvedObject.name=warned,reason=FailedPlacement", "-o", "jsonpath={.items[*].message}");
    expect(warnings).toContain('nodeSelectorTerms[0].matchExpressions[0].values[0]: Invalid value: "1.5"');
    await kubectl("label", "nodes", "a-cam", "cores=16", "--overwrite");
    await runsOn("many-cores", ["a-cam", "b-cam"]);
    await runsOn("by-name", ["b-gw"]);
    for (const name of ["many-cores", "by-name", "not-retired", "empty-term", "warned"]) await kubectl("delete", "ds", name);
    for (const name of ["many-cores", "by-name", "not-retired", "warned"]) await runsOn(name, []);
  });

  it("pod affinity security=S1 with preferred anti-affinity security=S2 (the docs' example) runs beside S1 pods, and follows them", async () => {
    await apply(daemonSet("guard", { nodeSelector: { hw: "gateway" } }, { security: "S1" }));
    await apply(daemonSet("s2-logger", { nodeSelector: { site: "b" } }, { security: "S2" }));
    await runsOn("guard", ["a-gw", "b-gw"]);
    await runsOn("s2-logger", ["b-cam", "b-gw"]);
    await runsOn("sentinel", ["b-cam"]);
    await apply(
      daemonSet("web", {
        affinity: {
          podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchExpressions: [{ key: "security", operator: "In", values: ["S1"] }] }, topologyKey: "kubernetes.io/hostname" }] },
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 100, podAffinityTerm: { labelSelector: { matchExpressions: [{ key: "security", operator: "In", values: ["S2"] }] }, topologyKey: "kubernetes.io/hostname" } },
            ],
          },
        },
      }),
    );
    // Beside the guard pods and the static sentinel (the S2 pods beside them are only a preference against).
    await staysOn("web", ["a-gw", "b-cam", "b-gw"]);
    const pending = (await podsOf("web")).filter((p) => !p.spec.nodeName);
    expect(pending).toHaveLength(1);
    expect(pending[0]!.status?.phase).toBe("Pending");
    expect(pending[0]!.status?.conditions?.find((c) => c.type === "PodScheduled")).toMatchObject({ status: "False", reason: "Unschedulable" });
    expect(await kubectl("get", "pods", pending[0]!.metadata.name!, "-o", "jsonpath={.status.conditions[0].message}")).toContain("security in (S1)");
    await waitFor("web counting the pending pod as desired and unavailable", async () => {
      const s = await status("web");
      return s?.desiredNumberScheduled === 4 && s.currentNumberScheduled === 4 && s.numberReady === 3 && s.numberUnavailable === 1;
    });

    // a-cam becomes a gateway: a guard pod starts there, and the waiting web pod with it.
    await kubectl("label", "nodes", "a-cam", "hw=gateway", "--overwrite");
    await runsOn("guard", ["a-cam", "a-gw", "b-gw"]);
    await runsOn("web", ["a-cam", "a-gw", "b-cam", "b-gw"]);
    // a-gw stops being a gateway: its guard goes, web stays (IgnoredDuringExecution).
    await kubectl("label", "nodes", "a-gw", "hw=camera", "--overwrite");
    await runsOn("guard", ["a-cam", "b-gw"]);
    await staysOn("web", ["a-cam", "a-gw", "b-cam", "b-gw"]);
  });

  it("taints: NoSchedule creates none and keeps what runs, NoExecute evicts, tolerations and hostNetwork defaults, cordon ignored", async () => {
    await apply(daemonSet("before-taints", {}));
    await runsOn("before-taints", ["a-cam", "a-gw", "b-cam", "b-gw"]);
    await kubectl("taint", "nodes", "a-cam", "dedicated=edge:NoSchedule");
    await kubectl("taint", "nodes", "b-cam", "node.kubernetes.io/network-unavailable:NoSchedule");
    await kubectl("cordon", "a-gw");
    await apply(daemonSet("plain", {}));
    await apply(daemonSet("tolerant", { tolerations: [{ key: "dedicated", operator: "Exists" }] }));
    await apply(daemonSet("hostnet", { hostNetwork: true }));
    await runsOn("plain", ["a-gw", "b-gw"]);
    await runsOn("tolerant", ["a-cam", "a-gw", "b-gw"]);
    await runsOn("hostnet", ["a-gw", "b-cam", "b-gw"]);
    // What already ran on the NoSchedule-tainted nodes keeps running.
    await staysOn("before-taints", ["a-cam", "a-gw", "b-cam", "b-gw"]);

    await kubectl("taint", "nodes", "b-gw", "dedicated=edge:NoExecute");
    await runsOn("plain", ["a-gw"]);
    await runsOn("hostnet", ["a-gw", "b-cam"]);
    await staysOn("tolerant", ["a-cam", "a-gw", "b-gw"]);

    // NoSchedule on a node that runs the pod keeps it, counted misscheduled.
    await kubectl("taint", "nodes", "a-gw", "dedicated=edge:NoSchedule");
    await staysOn("plain", ["a-gw"]);
    await waitFor("plain counting a-gw as misscheduled", async () => {
      const s = await status("plain");
      return s?.desiredNumberScheduled === 0 && s.numberMisscheduled === 1;
    });

    await kubectl("taint", "nodes", "a-cam", "dedicated-");
    await kubectl("taint", "nodes", "a-gw", "dedicated-");
    await kubectl("taint", "nodes", "b-gw", "dedicated-");
    await kubectl("taint", "nodes", "b-cam", "node.kubernetes.io/network-unavailable-");
    await kubectl("uncordon", "a-gw");
    for (const name of ["plain", "tolerant", "hostnet"]) await runsOn(name, ["a-cam", "a-gw", "b-cam", "b-gw"]);
  });

  it("a device enrolling later gets the pods that match it, within a sync or two", async () => {
    // Its own DaemonSets, so what c-gw gets does not depend on the tests above.
    await apply(daemonSet("late-ssd", { nodeSelector: { disktype: "ssd" } }));
    await apply(daemonSet("late-site-a", { nodeSelector: { site: "a" } }));
    await apply(daemonSet("late-guard", { nodeSelector: { hw: "gateway" } }, { security: "late" }));
    const besideGuard = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { security: "late" } }, topologyKey: "kubernetes.io/hostname" }] } };
    await apply(daemonSet("late-web", { affinity: besideGuard }));
    await apply(daemonSet("late-all", {}));
    await waitFor("late-all everywhere", () => where("late-all").length === 4);
    const started = Date.now();
    agents.push(await startAgent(cp, { nodeName: "c-gw", labels: { site: "c", hw: "gateway", disktype: "ssd" }, link }));
    const onLate = (name: string) => waitFor(`${name} on c-gw`, () => where(name).includes("c-gw"));
    for (const name of ["late-ssd", "late-guard", "late-web", "late-all"]) await onLate(name);
    expect(Date.now() - started).toBeLessThan(30_000);
    await link.waitForSyncs("c-gw", 3);
    expect(where("late-site-a")).not.toContain("c-gw");
    expect(where("late-ssd").filter((n) => n === "c-gw")).toHaveLength(1);
  });
});
