/**
 * OnDelete and the per-version defaults, end to end with two real agents: an extensions/v1beta1
 * manifest applied over HTTP defaults to OnDelete (selector from the template labels) and reads
 * back as apps/v1 (generation in the annotation) and as extensions/v1beta1 (spec.templateGeneration);
 * a template change then replaces nothing by itself, and a deleted pod comes back on the new
 * template while the other node keeps the old one.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { killWorkloads, removeStateDir, startAgent, type AgentProcess } from "../support/agents.ts";
import { startControlPlane, type ControlPlane } from "../support/control-plane.ts";
import { startLink, type Link } from "../support/link.ts";
import { createKubectl, type Kubectl } from "../support/kubectl.ts";
import { waitFor } from "../support/wait.ts";
import { dumpState, workloadProcesses } from "./rollout-observer.ts";

const marker = `e2e-ondelete-${process.pid}`;
const fleet = `ondelete-${process.pid}`;
const nodes = ["shelf-1", "shelf-2"];
const extensionsPath = `/apis/extensions/v1beta1/namespaces/default/daemonsets`;
const appsPath = `/apis/apps/v1/namespaces/default/daemonsets`;

let cp: ControlPlane;
let kubectl: Kubectl;
let link: Link;
const agents: AgentProcess[] = [];

beforeAll(async () => {
  cp = await startControlPlane();
  kubectl = createKubectl(cp);
  link = await startLink(cp);
  agents.push(...(await Promise.all(nodes.map((nodeName) => startAgent(cp, { nodeName, labels: { fleet }, link })))));
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail") console.log(await dumpState(cp, agents));
});

afterAll(async () => {
  await Promise.all(agents.map((agent) => agent.stop()));
  killWorkloads(marker);
  agents.forEach(removeStateDir);
  kubectl?.cleanup();
  await link?.close();
  await cp?.stop();
});

const container = (name: string, version: string) => ({ name: "main", image: "busybox:1.36", command: ["sh", "-c", "while true; do sleep 1; done", `${marker}-${name}-${version}`] });

/** The version tag of the DaemonSet's workload running on each node. */
function versionsByNode(name: string): Record<string, string[]> {
  const tag = `${marker}-${name}-`;
  const out: Record<string, string[]> = {};
  for (const w of workloadProcesses(tag)) (out[w.node] ??= []).push((w.cmdline.find((a) => a.startsWith(tag)) ?? "").slice(tag.length));
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

const runsVersions = (name: string, want: Record<string, string[]>) =>
  waitFor(`${name} running ${JSON.stringify(want)}`, () => JSON.stringify(versionsByNode(name)) === JSON.stringify(want), 30_000);

/** An extensions/v1beta1 DaemonSet (OnDelete by default) at v1 on both nodes. */
async function createLegacy(name: string): Promise<void> {
  const created = await cp.api("POST", extensionsPath, {
    apiVersion: "extensions/v1beta1",
    kind: "DaemonSet",
    metadata: { name },
    spec: {
      template: {
        metadata: { labels: { app: name } },
        spec: { nodeSelector: { fleet }, terminationGracePeriodSeconds: 2, containers: [container(name, "v1")] },
      },
    },
  });
  expect(created.status, created.body).toBe(201);
  await runsVersions(name, { "shelf-1": ["v1"], "shelf-2": ["v1"] });
}

/** Template v2, observed; then the pod on shelf-1 deleted and back on v2 (shelf-2 stays on v1). */
async function updateOnShelf1(name: string): Promise<void> {
  const patched = await cp.mergePatch(`${extensionsPath}/${name}`, { spec: { template: { spec: { containers: [container(name, "v2")] } } } });
  expect(patched.status, patched.body).toBe(200);
  expect(patched.json().spec.templateGeneration).toBe(2);
  await waitFor("the change observed", async () => (await cp.api("GET", `${appsPath}/${name}`)).json().status?.observedGeneration === 2);
  const before = await podsByNode(name);
  expect((await cp.api("DELETE", `/api/v1/namespaces/default/pods/${before["shelf-1"].metadata.name}`)).status).toBe(200);
  await runsVersions(name, { "shelf-1": ["v2"], "shelf-2": ["v1"] });
}

const podsByNode = async (name: string) => {
  const items = (await cp.api("GET", `/api/v1/namespaces/default/pods?labelSelector=app%3D${name}`)).json().items as any[];
  return Object.fromEntries(items.map((p) => [p.spec.nodeName, p]));
};

describe("an extensions/v1beta1 DaemonSet", () => {
  it("defaults to OnDelete and reads back in both versions", async () => {
    const name = "defaults";
    await createLegacy(name);

    const asApps = (await cp.api("GET", `${appsPath}/${name}`)).json();
    expect(asApps.apiVersion).toBe("apps/v1");
    expect(asApps.spec.updateStrategy).toEqual({ type: "OnDelete" });
    expect(asApps.spec.selector).toEqual({ matchLabels: { app: name } });
    expect(asApps.spec.revisionHistoryLimit).toBe(10);
    expect(asApps.spec.templateGeneration).toBeUndefined();
    expect(asApps.metadata.annotations["deprecated.daemonset.template.generation"]).toBe("1");

    const asExtensions = (await cp.api("GET", `${extensionsPath}/${name}`)).json();
    expect(asExtensions.apiVersion).toBe("extensions/v1beta1");
    expect(asExtensions.spec.updateStrategy).toEqual({ type: "OnDelete" });
    expect(asExtensions.spec.templateGeneration).toBe(1);
    expect(asExtensions.metadata.annotations?.["deprecated.daemonset.template.generation"]).toBeUndefined();
    expect(asExtensions.metadata.labels).toEqual({ app: name });

    // One revision only: nothing to roll back to.
    const undo = await kubectl.run("rollout", "undo", `ds/${name}`);
    expect(undo.code).not.toBe(0);
    expect(undo.stderr).toContain("no last revision to roll back to");
  });

  it("replaces nothing when the template changes, and brings a deleted pod back on the new template", async () => {
    const name = "ondelete";
    await createLegacy(name);
    const before = await podsByNode(name);
    const patched = await cp.mergePatch(`${extensionsPath}/${name}`, { spec: { template: { spec: { containers: [container(name, "v2")] } } } });
    expect(patched.status, patched.body).toBe(200);
    expect(patched.json().spec.templateGeneration).toBe(2);

    await waitFor("the change observed", async () => (await cp.api("GET", `${appsPath}/${name}`)).json().status?.observedGeneration === 2);
    // Three answered syncs of each node later, nothing was replaced.
    await link.waitForSyncs(nodes, 3);
    const unchanged = await podsByNode(name);
    expect(Object.fromEntries(nodes.map((n) => [n, unchanged[n]?.metadata.uid]))).toEqual(Object.fromEntries(nodes.map((n) => [n, before[n]?.metadata.uid])));
    expect(versionsByNode(name)).toEqual({ "shelf-1": ["v1"], "shelf-2": ["v1"] });
    expect((await cp.api("GET", `${appsPath}/${name}`)).json().status).toMatchObject({ desiredNumberScheduled: 2, updatedNumberScheduled: 0, numberAvailable: 2 });
    const status = await kubectl.run("rollout", "status", `ds/${name}`);
    expect(status.code).not.toBe(0);
    expect(status.stderr).toContain("rollout status is only available for RollingUpdate strategy type");

    // An operator deletes the pod on shelf-1: it comes back on the new template; shelf-2 keeps v1.
    expect((await cp.api("DELETE", `/api/v1/namespaces/default/pods/${before["shelf-1"].metadata.name}`)).status).toBe(200);
    await runsVersions(name, { "shelf-1": ["v2"], "shelf-2": ["v1"] });
    const after = await podsByNode(name);
    expect(after["shelf-1"].metadata.labels["pod-template-generation"]).toBe("2");
    expect(after["shelf-2"].metadata.uid).toBe(before["shelf-2"].metadata.uid);
    await waitFor("status counting one updated pod", async () => {
      const s = (await cp.api("GET", `${appsPath}/${name}`)).json().status;
      return s?.updatedNumberScheduled === 1 && s.numberAvailable === 2;
    });
  });

  it("rolls back to revision 1 by reusing it: the pod still on it counts as updated and is not restarted", async () => {
    const name = "undo";
    await createLegacy(name);
    await updateOnShelf1(name);
    const before = await podsByNode(name);
    const revisions = async () =>
      ((await cp.api("GET", `/apis/apps/v1/namespaces/default/controllerrevisions?labelSelector=app%3D${name}`)).json().items as any[])
        .map((r) => ({ name: r.metadata.name, revision: r.revision }))
        .sort((a, b) => a.revision - b.revision);
    const [first, second] = await revisions();
    expect([first?.revision, second?.revision]).toEqual([1, 2]);

    const undo = await kubectl.run("rollout", "undo", `ds/${name}`, "--to-revision=1");
    expect(undo.code, undo.stderr).toBe(0);
    expect(undo.stdout).toContain(`daemonset.apps/${name} rolled back`);
    await waitFor("revision 1 renumbered 3", async () => JSON.stringify(await revisions()) === JSON.stringify([{ ...second, revision: 2 }, { ...first, revision: 3 }]));
    await waitFor("the rollback observed, the pod on shelf-2 counted as updated", async () => {
      const ds = (await cp.api("GET", `${appsPath}/${name}`)).json();
      return ds.metadata.generation === 3 && ds.status?.observedGeneration === 3 && ds.status.updatedNumberScheduled === 1;
    });
    const after = await podsByNode(name);
    expect(after["shelf-2"].metadata.uid).toBe(before["shelf-2"].metadata.uid);
    expect(after["shelf-1"].metadata.uid).toBe(before["shelf-1"].metadata.uid);
    expect(after["shelf-2"].metadata.labels["controller-revision-hash"]).toBe(first!.name.slice(`${name}-`.length));
    expect(versionsByNode(name)).toEqual({ "shelf-1": ["v2"], "shelf-2": ["v1"] });
  });
});
