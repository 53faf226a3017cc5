/**
 * Faults the fleet survives, end to end: the real Worker (node grace 6 s), three real agents
 * behind a link proxy that can cut the network, real kubectl. Each test makes its own
 * DaemonSets, pinned to nodes by `kubernetes.io/hostname`, and proves "nothing else happened"
 * by answered syncs counted at the link, never by a sleep.
 *
 * - (the control plane restarted in the middle of a rolling update is rollout-rolling.test.ts's,
 *   twice, with the budget checked throughout;)
 * - an agent SIGKILLed, one of its workloads killed while it was away: after its restart the live
 *   one is adopted, the dead one started once, no duplicates;
 * - one device cut off for longer than the grace period: its Node goes Unknown, its pods not
 *   ready, its workloads keep running; back on line, it turns Ready and converges on what changed
 *   meanwhile, with no duplicate process;
 * - two operators replacing the same DaemonSet from the same resourceVersion: one 409, and the
 *   loser's retry keeps both changes.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { DaemonSet } from "../../src/resources/k8s-types.ts";
import { findWorkloads, killWorkloads, removeStateDir, startAgent, type AgentProcess } from "../support/agents.ts";
import { startControlPlane, type ControlPlane } from "../support/control-plane.ts";
import { createKubectl, type Kubectl } from "../support/kubectl.ts";
import * as manifests from "../support/manifests.ts";
import { startLink, type Link } from "../support/link.ts";
import { waitFor } from "../support/wait.ts";
import { dumpState } from "./rollout-observer.ts";

const marker = `e2e-faults-${process.pid}`;
const fleet = `faults-${process.pid}`;
const nodes = ["f-1", "f-2", "f-3"];
const graceSeconds = 6;
const dsPath = (name: string) => `/apis/apps/v1/namespaces/default/daemonsets/${name}`;

let cp: ControlPlane;
let link: Link;
let kubectl: Kubectl;
const agents = new Map<string, AgentProcess>();

beforeAll(async () => {
  cp = await startControlPlane({ nodeGraceSeconds: graceSeconds });
  link = await startLink(cp);
  kubectl = createKubectl(cp);
  const started = await Promise.all(nodes.map((nodeName) => startAgent(cp, { nodeName, labels: { fleet }, link })));
  for (const agent of started) agents.set(agent.nodeName, agent);
  await waitFor("three nodes Ready", async () => (await Promise.all(nodes.map(readyOf))).every((s) => s === "True"));
});

afterEach(async (ctx) => {
  link.restore();
  if (ctx.task.result?.state === "fail") console.log(await dumpState(cp, [...agents.values()]));
});

afterAll(async () => {
  await Promise.all([...agents.values()].map((agent) => agent.stop()));
  killWorkloads(marker);
  agents.forEach(removeStateDir);
  kubectl?.cleanup();
  await link?.close();
  await cp?.stop();
});

/** The version tag every workload carries: `<marker>-<daemonset>-<version>`. */
const tagOf = (name: string, version: string) => `${marker}-${name}-${version}`;

function daemonSet(name: string, version: string, spec: { nodes?: string[]; minReadySeconds?: number } = {}): DaemonSet {
  const placement = spec.nodes
    ? { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In" as const, values: spec.nodes }] }] } } } }
    : {};
  return manifests.daemonSet({
    name,
    nodeSelector: { fleet },
    command: ["sh", "-c", "while true; do sleep 1; done", tagOf(name, version)],
    spec: { minReadySeconds: spec.minReadySeconds ?? 0, updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } } },
    pod: { ...placement, terminationGracePeriodSeconds: 1 },
  });
}

async function create(manifest: DaemonSet): Promise<void> {
  const res = await cp.api("POST", "/apis/apps/v1/namespaces/default/daemonsets", manifest);
  expect(res.status, res.body).toBe(201);
}

/** The version tags of the DaemonSet's workload processes on each node that runs any. */
function versions(name: string): Record<string, string[]> {
  const prefix = `${marker}-${name}-`;
  const out: Record<string, string[]> = {};
  for (const w of findWorkloads(prefix)) (out[w.node] ??= []).push((w.cmdline.find((a) => a.startsWith(prefix)) ?? "").slice(prefix.length));
  for (const tags of Object.values(out)) tags.sort();
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const everywhere = (version: string, on: readonly string[] = nodes) => Object.fromEntries(on.map((n) => [n, [version]]));
const pidsOf = (name: string, version: string) => findWorkloads(tagOf(name, version)).map((w) => w.pid);

async function readyOf(node: string): Promise<string | undefined> {
  const res = await cp.api("GET", `/api/v1/nodes/${node}`, undefined, { timeoutMs: 3000 });
  return res.status === 200 ? res.json().status?.conditions?.find((c: any) => c.type === "Ready")?.status : undefined;
}

const podsOf = async (name: string): Promise<any[]> => (await cp.api("GET", `/api/v1/namespaces/default/pods?labelSelector=app%3D${name}`)).json().items;
const podReady = (pod: any) => pod?.status?.conditions?.find((c: any) => c.type === "Ready")?.status;
const statusOf = async (name: string) => (await cp.api("GET", dsPath(name))).json().status ?? {};

describe("faults", () => {
  it("an agent SIGKILLed while one of its workloads dies: restarted, it adopts the live one and starts the dead one once", async () => {
    const node = "f-1";
    await create(daemonSet("keeps", "v1", { nodes: [node] }));
    await create(daemonSet("returns", "v1", { nodes: [node] }));
    await waitFor("both running", () => same(versions("keeps"), everywhere("v1", [node])) && same(versions("returns"), everywhere("v1", [node])));
    await waitFor("both ready", async () => (await statusOf("keeps")).numberReady === 1 && (await statusOf("returns")).numberReady === 1);
    const [kept] = pidsOf("keeps", "v1");
    const [died] = pidsOf("returns", "v1");

    const agent = agents.get(node)!;
    await agent.stop("SIGKILL");
    expect(pidsOf("keeps", "v1")).toEqual([kept]);
    killWorkloads(tagOf("returns", "v1"));
    await waitFor("the killed workload gone", () => pidsOf("returns", "v1").length === 0);

    const restarted = await startAgent(cp, { nodeName: node, stateDir: agent.stateDir, bootstrapToken: "", link });
    agents.set(node, restarted);
    await waitFor("the dead workload started again", () => pidsOf("returns", "v1").length === 1 && pidsOf("returns", "v1")[0] !== died);
    await link.waitForSyncs(node, 3);
    expect(pidsOf("keeps", "v1")).toEqual([kept]);
    expect(pidsOf("returns", "v1")).toHaveLength(1);
    expect(restarted.output()).toMatch(/pod default\/keeps-\S+: adopted container main/);
    await waitFor("both ready again", async () => (await podsOf("keeps")).every((p) => podReady(p) === "True") && (await podsOf("returns")).every((p) => podReady(p) === "True"));
  });

  it("a device cut off for longer than the grace period goes Unknown, keeps its workloads running, and converges when back", async () => {
    const node = "f-2";
    await create(daemonSet("island", "v1", { nodes: [node] }));
    await waitFor("running and ready", async () => same(versions("island"), everywhere("v1", [node])) && (await statusOf("island")).numberReady === 1);
    const [pid] = pidsOf("island", "v1");
    const [pod] = await podsOf("island");

    const cutAt = Date.now();
    link.cut(node);
    await waitFor("the node Unknown", async () => (await readyOf(node)) === "Unknown", 30_000);
    const unknownAfter = Date.now() - cutAt;
    // Unknown comes a grace period after the last renewal the shard recorded, which may precede the
    // cut by up to one renew period (grace / 4) plus one sync interval (1 s): never sooner than that.
    expect(unknownAfter).toBeGreaterThanOrEqual((graceSeconds - graceSeconds / 4 - 1) * 1000);
    const node2 = (await cp.api("GET", `/api/v1/nodes/${node}`)).json();
    expect(node2.spec.taints).toEqual(expect.arrayContaining([expect.objectContaining({ key: "node.kubernetes.io/unreachable", effect: "NoExecute" })]));
    await waitFor("its pod not ready, not counted ready", async () => podReady((await podsOf("island"))[0]) === "False" && (await statusOf("island")).numberReady === 0);
    // On the device nothing stopped, and the other devices are untouched.
    expect(pidsOf("island", "v1")).toEqual([pid]);
    expect(await readyOf("f-1")).toBe("True");
    // The daemon pod tolerates the unreachable taint: not evicted.
    expect((await podsOf("island")).map((p) => p.metadata.uid)).toEqual([pod.metadata.uid]);

    // Meanwhile an operator gives the device a second DaemonSet.
    await create(daemonSet("newcomer", "v1", { nodes: [node] }));

    link.restore(node);
    await waitFor("the node Ready again", async () => (await readyOf(node)) === "True", 60_000);
    await waitFor("the pod ready again", async () => podReady((await podsOf("island"))[0]) === "True" && (await statusOf("island")).numberReady === 1, 30_000);
    await waitFor("the new DaemonSet running there", () => same(versions("newcomer"), everywhere("v1", [node])), 30_000);
    await link.waitForSyncs(node, 3);
    expect(pidsOf("island", "v1")).toEqual([pid]);
    expect(versions("island")).toEqual(everywhere("v1", [node]));
    expect(versions("newcomer")).toEqual(everywhere("v1", [node]));
    expect((await podsOf("island")).map((p) => p.metadata.uid)).toEqual([pod.metadata.uid]);
    const back = (await cp.api("GET", `/api/v1/nodes/${node}`)).json();
    expect((back.spec.taints ?? []).filter((t: any) => t.key === "node.kubernetes.io/unreachable")).toEqual([]);
    console.log(`network cut: Unknown ${unknownAfter} ms after the cut (grace ${graceSeconds} s)`);
  });

  it("two operators replacing the same DaemonSet from the same resourceVersion: one gets 409, the retry keeps both changes", async () => {
    const name = "contended";
    await create(daemonSet(name, "v1", { nodes: ["f-3"] }));
    await waitFor("running", () => same(versions(name), everywhere("v1", ["f-3"])));
    // Settled: the controller has no status left to write that would move the resourceVersion.
    await waitFor("ready", async () => (await statusOf(name)).numberAvailable === 1);
    await link.waitForSyncs("f-3", 2);
    const read = await kubectl.run("get", "ds", name, "-o", "json");
    expect(read.code, read.stderr).toBe(0);
    const base = JSON.parse(read.stdout);
    const labelled = structuredClone(base);
    labelled.metadata.labels = { ...labelled.metadata.labels, team: "edge" };
    const upgraded = structuredClone(base);
    upgraded.spec.template.spec.containers[0].command[3] = tagOf(name, "v2");

    const results = await Promise.all([
      kubectl.run("replace", "-f", kubectl.file("labelled.json", JSON.stringify(labelled))),
      kubectl.run("replace", "-f", kubectl.file("upgraded.json", JSON.stringify(upgraded))),
    ]);
    const codes = results.map((r) => r.code);
    expect(codes.filter((c) => c === 0), JSON.stringify(results)).toHaveLength(1);
    const loser = results.findIndex((r) => r.code !== 0);
    expect(results[loser]!.stderr).toContain("the object has been modified; please apply your changes to the latest version and try again");

    // The loser reads again and re-applies its change on top of the winner's, retrying on conflict
    // as client-go's RetryOnConflict does (the winner's change moves the status, and so the version).
    let retried = results[loser]!;
    for (let attempt = 0; attempt < 5 && retried.code !== 0; attempt++) {
      const fresh = JSON.parse((await kubectl.run("get", "ds", name, "-o", "json")).stdout);
      if (loser === 0) fresh.metadata.labels = { ...fresh.metadata.labels, team: "edge" };
      else fresh.spec.template.spec.containers[0].command[3] = tagOf(name, "v2");
      retried = await kubectl.run("replace", "-f", kubectl.file("retry.json", JSON.stringify(fresh)));
      if (retried.code !== 0) expect(retried.stderr).toContain("the object has been modified");
    }
    expect(retried.code, retried.stderr).toBe(0);

    const final = (await cp.api("GET", dsPath(name))).json();
    expect(final.metadata.labels.team).toBe("edge");
    expect(final.spec.template.spec.containers[0].command[3]).toBe(tagOf(name, "v2"));
    expect(final.metadata.generation).toBe(2);
    await waitFor("v2 running, one copy", () => same(versions(name), everywhere("v2", ["f-3"])), 30_000);

  });

  it("eight writers at once from the same resourceVersion: exactly one wins, its change is the one stored", async () => {
    const name = "crowded";
    // Placed nowhere, so no status write moves the resourceVersion once the controller has seen it.
    await create(daemonSet(name, "v1", { nodes: ["nowhere"] }));
    const settled = await waitFor("observed", async () => {
      const ds = (await cp.api("GET", dsPath(name))).json();
      return ds.status?.observedGeneration === 1 && ds;
    });
    const writes = await Promise.all(
      Array.from({ length: 8 }, (_, i) => cp.api("PUT", dsPath(name), { ...settled, metadata: { ...settled.metadata, annotations: { ...settled.metadata.annotations, writer: String(i) } } })),
    );
    expect(writes.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    const winner = writes.findIndex((r) => r.status === 200);
    const stored = (await cp.api("GET", dsPath(name))).json();
    expect(stored.metadata.annotations.writer).toBe(String(winner));
    expect(stored.metadata.resourceVersion).toBe(writes[winner]!.json().metadata.resourceVersion);
  });
});

describe("a control plane outage", () => {
  // The devices were fine and the control plane was the one away: as Kubernetes' node lifecycle
  // controller times the grace from what it observed itself (probeTimestamp), coming back gives
  // every node a fresh grace period instead of marking the fleet Unknown.
  it("longer than the grace period: when it comes back, no device is marked Unknown", async () => {
    await waitFor("three nodes Ready", async () => (await Promise.all(nodes.map(readyOf))).every((s) => s === "True"));
    const notReadyEvents = async () =>
      (await cp.api("GET", "/api/v1/events")).json().items.filter((e: any) => e.reason === "NodeNotReady" && nodes.includes(e.involvedObject.name)).length;
    const eventsBefore = await notReadyEvents();
    const downAt = Date.now();
    await cp.down();
    // The devices keep trying; the outage lasts past the grace period.
    await link.waitForAttempts("f-3", 2);
    await waitFor("the grace period passed", () => Date.now() - downAt > (graceSeconds + 2) * 1000, 30_000);
    await cp.up();

    const seen = new Set<string>();
    let watching = true;
    const watch = (async () => {
      while (watching) {
        for (const node of nodes) seen.add(`${node}:${await readyOf(node).catch(() => "?")}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    await link.waitForSyncs(nodes, 3, 60_000);
    watching = false;
    await watch;
    expect([...seen].filter((s) => s.endsWith(":Unknown"))).toEqual([]);
    expect(await notReadyEvents()).toBe(eventsBefore);
  });
});
