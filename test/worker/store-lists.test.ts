/**
 * The list reads that use their own index (see query-plans.test.ts): a controller's objects with
 * the orphans beside them, merged in key order and paged; the names of existing nodes, looked up
 * in statements within D1's bound parameters; the pods placement reads for their anti-affinity.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { listBoundPods } from "../../src/store/bound-pods.ts";
import { openDb } from "../../src/store/db.ts";
import { existingNames, listObjects } from "../../src/store/objects.ts";
import { commit } from "../../src/store/writes.ts";
import type { Pod } from "../../src/resources/types.ts";
import { pod as manifest } from "../support/manifests.ts";
import { enroll, unique } from "./helpers.ts";

const db = () => openDb(env.DB);

const pod = (namespace: string, name: string, extra: { owner?: string; nodeName?: string; antiAffinity?: boolean } = {}): Pod =>
  manifest({
    name,
    namespace,
    nodeName: extra.nodeName,
    containers: [{ name: "c", image: "busybox" }],
    metadata: { uid: crypto.randomUUID(), ...(extra.owner ? { ownerReferences: [{ apiVersion: "apps/v1", kind: "DaemonSet", name: "ds", uid: extra.owner, controller: true }] } : {}) },
    spec: extra.antiAffinity ? { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "kubernetes.io/hostname", labelSelector: {} }] } } } : {},
  });

const create = (...pods: Pod[]) => commit(db(), pods.map((object) => ({ op: "create" as const, object })), Date.now());

describe("store lists", () => {
  it("a controller's pods and the orphans beside them come in name order, paged", async () => {
    const ns = unique("lists");
    const owner = crypto.randomUUID();
    await create(pod(ns, "a", { owner }), pod(ns, "b"), pod(ns, "c", { owner }), pod(ns, "d", { owner: crypto.randomUUID() }), pod(ns, "e"));
    const names = (page: { items: Pod[] }) => page.items.map((p) => p.metadata.name);
    expect(names(await listObjects<Pod>(db(), "Pod", { namespace: ns, ownerUid: owner, includeOrphans: true }))).toEqual(["a", "b", "c", "e"]);
    expect(names(await listObjects<Pod>(db(), "Pod", { namespace: ns, ownerUid: owner }))).toEqual(["a", "c"]);
    const first = await listObjects<Pod>(db(), "Pod", { namespace: ns, ownerUid: owner, includeOrphans: true, limit: 3 });
    expect(names(first)).toEqual(["a", "b", "c"]);
    expect(first.next).toEqual({ namespace: ns, name: "c" });
    const rest = await listObjects<Pod>(db(), "Pod", { namespace: ns, ownerUid: owner, includeOrphans: true, limit: 3, after: first.next });
    expect(names(rest)).toEqual(["e"]);
    expect(rest.next).toBeUndefined();
  });

  it("finds which of 250 node names exist, within D1's 100 bound parameters per statement", async () => {
    const real = [unique("lists-node"), unique("lists-node")];
    for (const name of real) await enroll(name);
    const asked = [...Array.from({ length: 248 }, (_, i) => `absent-${i}`), ...real];
    expect(await existingNames(db(), "Node", asked)).toEqual(new Set(real));
    expect(await existingNames(db(), "Node", [])).toEqual(new Set());
  });

  it("placement reads only the bound pods with required anti-affinity", async () => {
    const ns = unique("lists-aa");
    const node = unique("lists-aa-node");
    await create(pod(ns, "loner", { nodeName: node, antiAffinity: true }), pod(ns, "plain", { nodeName: node }), pod(ns, "unbound", { antiAffinity: true }));
    const mine = (pods: Pod[]) => pods.filter((p) => p.metadata.namespace === ns).map((p) => p.metadata.name);
    expect(mine(await listBoundPods(db(), { requiredAntiAffinityOnly: true }))).toEqual(["loner"]);
    expect(mine(await listBoundPods(db()))).toEqual(["loner", "plain"]);
  });
});
