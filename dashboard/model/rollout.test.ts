import { describe, expect, it } from "vitest";
import { ownedPods, percentOf, restartPatch, revisionHistory, rollbackPatch, rolloutBar, rolloutGrid, tallyGrid } from "./rollout.ts";
import type { ControllerRevision, DaemonSet, Pod } from "./types.ts";

const ds = (status: DaemonSet["status"], generation = 1): DaemonSet => ({ metadata: { name: "web", namespace: "default", uid: "u1", generation }, spec: { template: {} }, status });
const rev = (n: number, hash: string, cause?: string): ControllerRevision => ({
  metadata: { name: `web-${hash}`, labels: { "controller-revision-hash": hash }, annotations: cause ? { "kubernetes.io/change-cause": cause } : {}, ownerReferences: [{ kind: "DaemonSet", name: "web", uid: "u1", controller: true }] },
  revision: n,
  data: { spec: { template: { n } } },
});
const pod = (name: string, node: string, hash: string, ready: boolean): Pod => ({
  metadata: { name, labels: { "controller-revision-hash": hash }, ownerReferences: [{ kind: "DaemonSet", name: "web", uid: "u1", controller: true }] },
  spec: { nodeName: node, containers: [] },
  status: { conditions: [{ type: "Ready", status: ready ? "True" : "False" }] },
});

describe("rolloutBar", () => {
  it("is complete only when every desired pod is updated and available at the observed generation", () => {
    expect(rolloutBar(ds({ desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberReady: 3, numberAvailable: 3, observedGeneration: 1 })).complete).toBe(true);
    expect(rolloutBar(ds({ desiredNumberScheduled: 3, updatedNumberScheduled: 2, numberReady: 3, numberAvailable: 3, observedGeneration: 1 })).complete).toBe(false);
    expect(rolloutBar(ds({ desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberReady: 3, numberAvailable: 3, observedGeneration: 1 }, 2)).complete).toBe(false);
  });
  it("counts zero, and not complete, before the controller reported", () => {
    expect(rolloutBar(ds(undefined))).toEqual({ desired: 0, updated: 0, ready: 0, available: 0, complete: false });
  });
});

it("percentOf bounds the share", () => {
  expect(percentOf(1, 3)).toBe(33);
  expect(percentOf(5, 3)).toBe(100);
  expect(percentOf(1, 0)).toBe(0);
});

describe("rolloutGrid", () => {
  it("marks each node's pod by revision and readiness, sorted by node", () => {
    const cells = rolloutGrid([pod("p2", "n2", "b", false), pod("p1", "n1", "a", true)], [rev(1, "a"), rev(2, "b")]);
    expect(cells).toEqual([
      { node: "n1", pod: "p1", revision: 1, current: false, ready: true },
      { node: "n2", pod: "p2", revision: 2, current: true, ready: false },
    ]);
  });
});

it("tallyGrid counts each revision's ready and not-ready pods, newest first", () => {
  const cells = rolloutGrid([pod("p1", "n1", "a", true), pod("p2", "n2", "b", false), pod("p3", "n3", "b", true), pod("p4", "n4", "zz", false)], [rev(1, "a"), rev(2, "b")]);
  expect(tallyGrid(cells)).toEqual([
    { revision: 2, current: true, ready: 1, notReady: 1 },
    { revision: 1, current: false, ready: 1, notReady: 0 },
    { revision: 0, current: false, ready: 0, notReady: 1 },
  ]);
});

it("ownedPods keeps the DaemonSet's pods only", () => {
  const other = { ...pod("x", "n1", "a", true), metadata: { name: "x", ownerReferences: [{ kind: "DaemonSet", name: "db", uid: "u2", controller: true }] } };
  expect(ownedPods(ds({}), [pod("p", "n1", "a", true), other]).map((p) => p.metadata.name)).toEqual(["p"]);
});

it("revisionHistory is newest first with change causes", () => {
  expect(revisionHistory([rev(1, "a", "first"), rev(2, "b")]).map((h) => [h.revision, h.changeCause, h.current])).toEqual([
    [2, "", true],
    [1, "first", false],
  ]);
});

it("rollbackPatch is the revision's data, restartPatch a restartedAt annotation", () => {
  expect(JSON.parse(rollbackPatch(rev(1, "a")))).toEqual({ spec: { template: { n: 1 } } });
  expect(() => rollbackPatch({ ...rev(1, "a"), data: undefined })).toThrow(/no template/);
  expect(JSON.parse(restartPatch(new Date(0))).spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]).toBe("1970-01-01T00:00:00.000Z");
});
