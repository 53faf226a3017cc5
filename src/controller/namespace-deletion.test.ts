import { describe, expect, it } from "vitest";
import type { KubeObject, Namespace, Pod } from "../resources/types.ts";
import { planNamespaceDeletion } from "./namespace-deletion.ts";

const now = Date.parse("2026-12-03T10:00:00Z");
const ns: Namespace = { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop", uid: "ns-uid", deletionTimestamp: "2026-12-03T10:00:00Z" }, status: { phase: "Terminating" } };
const pod = (name: string, extra: { node?: string; deleting?: boolean; phase?: string; owner?: string } = {}): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: {
    name,
    namespace: "shop",
    uid: `${name}-uid`,
    resourceVersion: "7",
    ...(extra.deleting ? { deletionTimestamp: "2026-12-03T10:00:30Z" } : {}),
    ...(extra.owner ? { ownerReferences: [{ apiVersion: "apps/v1", kind: "DaemonSet", name: extra.owner, uid: `${extra.owner}-uid`, controller: true }] } : {}),
  },
  spec: { containers: [{ name: "main", image: "busybox" }], terminationGracePeriodSeconds: 10, ...(extra.node ? { nodeName: extra.node } : {}) },
  status: extra.phase ? { phase: extra.phase as "Running" } : {},
});
const other = (kind: string, name: string): KubeObject => ({ apiVersion: "v1", kind, metadata: { name, namespace: "shop", uid: `${name}-uid` } });
const nodes = new Set(["edge-1"]);

/** What each write does, in a line: `delete ConfigMap/conf`, `mark Pod/p`. */
const summary = (writes: ReturnType<typeof planNamespaceDeletion>["writes"]) =>
  writes.map((w) => (w.op === "delete" ? `delete ${w.ref.kind}/${w.ref.name}` : w.op === "replace" ? `mark ${w.object.kind}/${w.object.metadata.name}` : w.op));

describe("planNamespaceDeletion", () => {
  const cases: { name: string; pods: Pod[]; others?: KubeObject[]; writes: string[]; waiting: number; done: boolean; limit?: number }[] = [
    { name: "an empty namespace goes at once", pods: [], writes: ["delete Namespace/shop"], waiting: 0, done: true },
    {
      name: "objects without devices go with it in one step",
      pods: [pod("unbound"), pod("on-gone-node", { node: "edge-9" }), pod("finished", { node: "edge-1", phase: "Succeeded" })],
      others: [other("ConfigMap", "conf"), other("Secret", "s")],
      writes: ["delete ConfigMap/conf", "delete Secret/s", "delete Pod/unbound", "delete Pod/on-gone-node", "delete Pod/finished", "delete Namespace/shop"],
      waiting: 0,
      done: true,
    },
    {
      name: "a pod on a device is deleted gracefully and the namespace waits",
      pods: [pod("running", { node: "edge-1", phase: "Running" })],
      others: [other("DaemonSet", "ds")],
      writes: ["delete DaemonSet/ds", "mark Pod/running"],
      waiting: 1,
      done: false,
    },
    { name: "a pod already stopping is left to its device", pods: [pod("stopping", { node: "edge-1", deleting: true })], writes: [], waiting: 1, done: false },
    {
      name: "a big namespace is emptied over several steps",
      pods: [pod("a"), pod("b"), pod("c")],
      writes: ["delete Pod/a", "delete Pod/b"],
      waiting: 0,
      done: false,
      limit: 2,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const plan = planNamespaceDeletion(ns, { pods: c.pods, others: c.others ?? [] }, nodes, now, c.limit);
      expect({ writes: summary(plan.writes), waiting: plan.waiting, done: plan.done }).toEqual({ writes: c.writes, waiting: c.waiting, done: c.done });
    });
  }

  it("gives a device's pod its own grace period and wakes its DaemonSet", () => {
    const plan = planNamespaceDeletion(ns, { pods: [pod("p", { node: "edge-1", owner: "ds" })], others: [] }, nodes, now);
    const marked = plan.writes[0];
    expect(marked).toMatchObject({ op: "replace", expectedVersion: 7, object: { metadata: { deletionTimestamp: "2026-12-03T10:00:10Z", deletionGracePeriodSeconds: 10 } } });
    expect(plan.wakes).toEqual([{ namespace: "shop", name: "ds" }]);
  });
});
