/**
 * Rolling updates end to end: one control plane and six real agents. A template change rolls
 * across the fleet two nodes at a time (maxUnavailable 2, minReadySeconds), every pod transition
 * is recorded and the budget checked over the whole sequence; the revision history, the status as
 * it moves and the Events are checked; the rollout is undone to revision 1 and inspected; the
 * control plane is restarted in the middle of a rollout, which still finishes within budget; and a
 * surge rollout (maxSurge 2) keeps every node available while two copies run side by side.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { killWorkloads, removeStateDir, startAgent, type AgentProcess } from "../support/agents.ts";
import { startControlPlane, type ControlPlane } from "../support/control-plane.ts";
import { createKubectl, type Kubectl } from "../support/kubectl.ts";
import { waitFor } from "../support/wait.ts";
import { describeStates, dumpState, observeRollout, workloadProcesses, type ObservedState } from "./rollout-observer.ts";

const marker = `e2e-rollout-${process.pid}`;
const fleet = `rollout-${process.pid}`;
const nodes = ["edge-1", "edge-2", "edge-3", "edge-4", "edge-5", "edge-6"];
const minReadySeconds = 2;
const dsPath = (name: string) => `/apis/apps/v1/namespaces/default/daemonsets/${name}`;

let cp: ControlPlane;
let kubectl: Kubectl;
const agents: AgentProcess[] = [];

beforeAll(async () => {
  cp = await startControlPlane();
  kubectl = createKubectl(cp);
  agents.push(...(await Promise.all(nodes.map((nodeName) => startAgent(cp, { nodeName, labels: { fleet } })))));
  await waitFor("six nodes Ready", async () => {
    const items = (await cp.api("GET", "/api/v1/nodes")).json().items;
    return items.filter((n: any) => n.status?.conditions?.some((c: any) => c.type === "Ready" && c.status === "True")).length === nodes.length;
  });
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail") console.log(await dumpState(cp, agents));
});

afterAll(async () => {
  await Promise.all(agents.map((agent) => agent.stop()));
  killWorkloads(marker);
  agents.forEach(removeStateDir);
  kubectl?.cleanup();
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
  for (const w of workloadProcesses(`${marker}-`)) {
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
  it("rolls a template change out two nodes at a time, never more than two desired nodes unavailable", async () => {
    const name = `web-${process.pid}`;
    const versionTag = (v: number) => `${name}-v${v}`;
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
    expect((await cp.api("DELETE", dsPath(name))).status).toBe(200);
  });

  it("shows the history with kubectl, rolls back to revision 1 (reused, renumbered 3), then forward again", async () => {
    // Its own DaemonSet, rolled out at v1 then v2: nothing here depends on the test above.
    const name = `history-${process.pid}`;
    const versionTag = (v: number) => `${name}-v${v}`;
    const created = await cp.api("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet(name, versionTag(1), { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 2 } }));
    expect(created.status).toBe(201);
    await waitFor("v1 rolled out", async () => workloadsAre(name, versionTag(1)) && (await rolledOut(name, 1)), 60_000);
    expect((await setVersion(name, versionTag(2))).status).toBe(200);
    await waitFor("v2 rolled out", async () => workloadsAre(name, versionTag(2)) && (await rolledOut(name, 2)), 90_000);

    const history = await kubectl.run("rollout", "history", `ds/${name}`);
    expect(history.code, history.stderr).toBe(0);
    expect(history.stdout).toMatch(new RegExp(`1\\s+deploy ${versionTag(1)}`));
    expect(history.stdout).toMatch(new RegExp(`2\\s+deploy ${versionTag(2)}`));
    const one = await kubectl.run("rollout", "history", `ds/${name}`, "--revision=1");
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toContain(`${marker}-${versionTag(1)}`);

    const unknown = await kubectl.run("rollout", "undo", `ds/${name}`, "--to-revision=99");
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("unable to find specified revision 99 in history");
    const same = await kubectl.run("rollout", "undo", `ds/${name}`, "--to-revision=2");
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toContain("skipped rollback (current template already matches revision 2)");

    const [rev1] = await revisionsOf(name);
    const hash1 = rev1.metadata.labels["controller-revision-hash"];
    const undo = await kubectl.run("rollout", "undo", `ds/${name}`, "--to-revision=1");
    expect(undo.code, undo.stderr).toBe(0);
    expect(undo.stdout).toContain(`daemonset.apps/${name} rolled back`);
    const status = await kubectl.run("rollout", "status", `ds/${name}`, "--timeout=90s", { timeoutMs: 100_000 });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(`daemon set "${name}" successfully rolled out`);
    await waitFor("v1 on every node again", () => workloadsAre(name, versionTag(1)), 30_000);

    // Revision 1 is reused and renumbered 3: same name and hash, which the pods carry.
    const revisions = await revisionsOf(name);
    expect(revisions.map((r) => r.revision)).toEqual([2, 3]);
    expect(revisions[1].metadata.name).toBe(rev1.metadata.name);
    expect(revisions[1].metadata.uid).toBe(rev1.metadata.uid);
    const pods = await podsOf(name);
    expect(pods.map((p) => p.metadata.labels["controller-revision-hash"])).toEqual(nodes.map(() => hash1));
    const after = await kubectl.run("rollout", "history", `ds/${name}`);
    expect(after.stdout).toMatch(/REVISION\s+CHANGE-CAUSE\s+2\s+\S.*\n3\s+/);
    const plainUndo = await kubectl.run("rollout", "undo", `ds/${name}`);
    expect(plainUndo.code, plainUndo.stderr).toBe(0);
    await waitFor("the plain undo going back to v2", () => workloadsAre(name, versionTag(2)), 60_000);
    expect((await revisionsOf(name)).map((r) => r.revision)).toEqual([3, 4]);
    await waitFor("v2 rolled out", () => rolledOut(name), 30_000);
    expect((await cp.api("DELETE", dsPath(name))).status).toBe(200);
  });

  it("finishes a rollout within budget when the control plane restarts in the middle of it", async () => {
    // Its own DaemonSet, rolled out at v1: nothing here depends on the tests above.
    const name = `restart-${process.pid}`;
    const versionTag = (v: number) => `${name}-v${v}`;
    const created = await cp.api("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet(name, versionTag(1), { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 2 } }));
    expect(created.status).toBe(201);
    await waitFor("v1 on every node", () => workloadsAre(name, versionTag(1)), 60_000);
    await waitFor("v1 rolled out", () => rolledOut(name, 1), 30_000);
    const observer = observeRollout(cp, { selector: `app=${name}`, nodes, minReadySeconds, marker: `${marker}-${name}`, daemonSet: name });
    await waitFor("the observer's first state", () => observer.states().length > 0);
    const previous = await podsOf(name);
    const before = new Set(previous.map((p) => p.metadata.uid));
    const beforeNames = new Set(previous.map((p) => p.metadata.name));
    const restart = await kubectl.run("rollout", "restart", `ds/${name}`);
    expect(restart.code, restart.stderr).toBe(0);
    expect(restart.stdout).toContain(`daemonset.apps/${name} restarted`);
    const started = Date.now();
    // Restart once while the first wave is being replaced, and once while the rollout waits on
    // minReadySeconds (new pods Ready, nothing deleting): only the controller's alarm moves it on.
    await waitFor("the first wave under way", () => observer.states().some((s) => s.pods.some((p) => p.deleting)), 20_000, 50);
    await cp.restart();
    const restarted = Date.now();
    const waitingOnMinReady = (s: ObservedState) => {
      const fresh = s.pods.filter((p) => !beforeNames.has(p.name));
      return fresh.length >= 2 && fresh.length < nodes.length && fresh.every((p) => p.ready) && !s.pods.some((p) => p.deleting) && s.unavailableNodes.length > 0;
    };
    await waitFor("the rollout waiting on minReadySeconds", () => observer.states().slice(-1).some(waitingOnMinReady), 30_000, 50);
    await cp.restart();
    const restartedAgain = Date.now();
    await waitFor("every pod replaced and available", async () => {
      const pods = await podsOf(name);
      return pods.length === nodes.length && pods.every((p) => !before.has(p.metadata.uid)) && (await rolledOut(name));
    }, 90_000);
    const took = Date.now() - started;
    const states = await observer.stop();
    const trace = describeStates(states);
    console.log(`rollout across a control plane restart took ${took} ms (restarts ${restarted - started} and ${restartedAgain - started} ms in), ${observer.failures()} failed polls, max unavailable ${maxOf(states, (s) => s.unavailableNodes.length)}\n${trace}`);
    expect(maxOf(states, (s) => s.unavailableNodes.length), trace).toBeLessThanOrEqual(2);
    expect(maxOf(states, (s) => s.nodesWithoutWorkload.length), trace).toBeLessThanOrEqual(2);
    expect(took).toBeLessThan(90_000);
    expect(await workloadsAre(name, versionTag(1))).toBe(true);
  });
});

describe("RollingUpdate with maxSurge 30% (2 of 6) across six agents", () => {
  const name = `gate-${process.pid}`;
  const versionTag = (v: number) => `${name}-v${v}`;

  it("creates each new pod beside the old one, and deletes the old one only once the new one is available", async () => {
    const strategy = { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "30%" } };
    expect((await cp.api("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet(name, versionTag(1), strategy))).status).toBe(201);
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
    const surged = (s: ObservedState) => nodes.filter((node) => s.pods.filter((p) => p.node === node && !p.deleting).length > 1).length;
    const sideBySide = (s: ObservedState) => Object.values(s.workloads).filter((w) => w.length > 1).length;
    console.log(`surge rollout of ${nodes.length} nodes took ${took} ms, max surged nodes ${maxOf(states, surged)}, max nodes running two copies ${maxOf(states, sideBySide)}\n${trace}`);

    // maxUnavailable 0: every desired node kept an available pod the whole time.
    expect(maxOf(states, (s) => s.unavailableNodes.length), trace).toBe(0);
    expect(maxOf(states, (s) => s.nodesWithoutWorkload.length), trace).toBe(0);
    // At most maxSurge nodes carry an extra live pod, and the two copies really ran side by side.
    expect(maxOf(states, surged), trace).toBe(2);
    expect(maxOf(states, sideBySide), trace).toBeGreaterThanOrEqual(1);
    expect(took).toBeLessThan(60_000);
  });
});
