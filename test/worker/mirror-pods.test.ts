/**
 * Static pods reported by a device appear as mirror pods; deleting a mirror through the API only
 * makes it come back at the next sync; a changed manifest replaces it; a dropped one removes it.
 */
import { expect, it } from "vitest";
import { pod } from "../support/manifests.ts";
import { call, enroll, json, sync, unique } from "./helpers.ts";

const staticPod = (node: string, hash: string) =>
  pod({
    name: `etcd-${node}`,
    namespace: "default",
    labels: { component: "etcd" },
    annotations: { "kubernetes.io/config.hash": hash, "kubernetes.io/config.source": "file" },
    nodeName: node,
    containers: [{ name: "etcd", image: "etcd:3.5", command: ["etcd"] }],
    status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] },
  });

it("keeps one mirror pod per static pod, through API deletes and manifest changes", async () => {
  const node = unique("edge");
  const credential = await enroll(node);
  const path = `/api/v1/namespaces/default/pods/etcd-${node}`;
  const report = (hash: string) => ({ node: {}, pods: [], staticPods: [staticPod(node, hash)] });

  const first = await sync(credential, report("h1"));
  expect((await json(first)).pods).toEqual([]); // mirrors are never assignments
  const mirror = await json(await call("GET", path));
  expect(mirror.metadata.annotations["kubernetes.io/config.mirror"]).toBe("h1");
  expect(mirror.metadata.ownerReferences[0]).toMatchObject({ kind: "Node", name: node, controller: true });
  expect(mirror.status.phase).toBe("Running");

  // Deleting a mirror is graceful, as for any bound pod; the device then replaces it.
  expect((await call("DELETE", path)).status).toBe(200);
  expect((await json(await call("GET", path))).metadata.deletionTimestamp).toBeDefined();
  await sync(credential, report("h1")); // the same report as before: the mirror comes back
  const back = await json(await call("GET", path));
  expect(back.metadata.uid).not.toBe(mirror.metadata.uid);
  expect(back.metadata.deletionTimestamp).toBeUndefined();

  await sync(credential, report("h2"));
  const changed = await json(await call("GET", path));
  expect(changed.metadata.annotations["kubernetes.io/config.mirror"]).toBe("h2");

  await sync(credential, { node: {}, pods: [], staticPods: [] });
  expect((await call("GET", path)).status).toBe(404);
});

it("skips an invalid static pod with a Warning event and keeps syncing", async () => {
  const node = unique("sloppy");
  const credential = await enroll(node);
  const bad = staticPod(node, "h1") as any;
  bad.spec.containers = [];
  const res = await sync(credential, { node: {}, pods: [], staticPods: [bad] });
  expect(res.status).toBe(200);
  const events = await json(await call("GET", `/api/v1/events?fieldSelector=involvedObject.name%3D${node}`));
  expect(events.items.map((e: any) => e.reason)).toContain("FailedMirrorPod");
});

it("never lets a device pull a Secret in through a static pod (NodeRestriction)", async () => {
  await call("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "prod-x" } });
  await call("POST", "/api/v1/namespaces/prod-x/secrets", { apiVersion: "v1", kind: "Secret", metadata: { name: "db-admin" }, stringData: { password: "root" } });
  const node = unique("thief");
  const credential = await enroll(node);
  const sneaky = staticPod(node, "h1") as any;
  sneaky.metadata.namespace = "prod-x";
  sneaky.spec.containers[0].envFrom = [{ secretRef: { name: "db-admin" } }];
  const lost = staticPod(node, "h2") as any;
  lost.metadata.name = `lost-${node}`;
  lost.metadata.namespace = "no-such-namespace";
  const res = await sync(credential, { node: {}, pods: [], staticPods: [sneaky, lost] });
  expect(res.status).toBe(200);
  expect((await json(res)).secrets ?? []).toEqual([]);
  expect((await call("GET", `/api/v1/namespaces/prod-x/pods/etcd-${node}`)).status).toBe(404);
  const again = await json(await sync(credential, { node: {}, pods: [] }));
  expect(again.secrets ?? []).toEqual([]);
  const reasons = (await json(await call("GET", `/api/v1/events?fieldSelector=involvedObject.name%3D${node}`))).items.map((e: any) => e.message);
  expect(reasons.some((m: string) => m.includes("may not reference ConfigMaps or Secrets"))).toBe(true);
  expect(reasons.some((m: string) => m.includes('namespaces "no-such-namespace" not found'))).toBe(true);
});
