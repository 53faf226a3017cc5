import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { daemonSet } from "../support/manifests.ts";
import { call, enroll, json, unique } from "./helpers.ts";



const reconcile = (name: string) => env.DAEMONSET_CONTROLLER.getByName(`default/${name}`).reconcileNow({ namespace: "default", name });

describe("a DaemonSet reaches enrolled nodes", () => {
  it("places one pod per matching node and counts it ready once the agent says so", async () => {
    const site = unique("site");
    const a = await enroll(unique("node-a"), { site, role: "gateway" });
    await enroll(unique("node-b"), { site, role: "sensor" });
    const name = unique("gw");
    expect((await call("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet({ name, nodeSelector: { site, role: "gateway" } }))).status).toBe(201);
    await reconcile(name);

    const sync = await call("POST", "/agent/v1/sync", { node: {}, pods: [] }, { token: a });
    expect(sync.status).toBe(200);
    const assigned = await json(sync);
    expect(assigned.pods).toHaveLength(1);
    const pod = assigned.pods[0];
    expect(pod.metadata.labels["controller-revision-hash"]).toBeTruthy();
    expect(pod.metadata.ownerReferences[0]).toMatchObject({ kind: "DaemonSet", name, controller: true });

    const ready = {
      node: {},
      pods: [
        {
          namespace: "default",
          name: pod.metadata.name,
          uid: pod.metadata.uid,
          status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] },
        },
      ],
    };
    expect((await call("POST", "/agent/v1/sync", ready, { token: a, headers: { "If-None-Match": assigned.version } })).status).toBe(304);
    await reconcile(name);
    const ds = await json(await call("GET", `/apis/apps/v1/namespaces/default/daemonsets/${name}`));
    expect(ds.status).toMatchObject({ desiredNumberScheduled: 1, currentNumberScheduled: 1, numberReady: 1, numberAvailable: 1, updatedNumberScheduled: 1, observedGeneration: 1 });
  });
});

describe("graceful pod deletion", () => {
  it("removes a deleted pod once its node reports it terminated, in one sync", async () => {
    const site = unique("site");
    const credential = await enroll(unique("node-t"), { site });
    const name = unique("stopper");
    await call("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet({ name, nodeSelector: { site } }));
    await reconcile(name);
    const assigned = await json(await call("POST", "/agent/v1/sync", { node: {}, pods: [] }, { token: credential }));
    const pod = assigned.pods[0];
    expect((await call("DELETE", `/api/v1/namespaces/default/pods/${pod.metadata.name}`)).status).toBe(200);
    const terminating = await json(await call("POST", "/agent/v1/sync", { node: {}, pods: [] }, { token: credential, headers: { "If-None-Match": assigned.version } }));
    expect(terminating.pods.find((p: any) => p.metadata.uid === pod.metadata.uid).metadata.deletionTimestamp).toBeDefined();
    const done = await call("POST", "/agent/v1/sync", { node: {}, pods: [], terminated: [pod.metadata.uid] }, { token: credential });
    expect(done.status).toBe(200);
    expect((await call("GET", `/api/v1/namespaces/default/pods/${pod.metadata.name}`)).status).toBe(404);
  });
});

describe("agent-owned node labels", () => {
  it("labels a node with the runtimes it reports, keeps them current, and never touches the operator's labels", async () => {
    const token = (await json(await call("POST", "/edgeset/v1/bootstraptokens", {}))).token;
    const name = unique("runtimes");
    const enrolled = await json(await call("POST", "/agent/v1/enroll", { nodeName: name, labels: { site: "a" }, node: { runtimes: ["process", "docker"] } }, { token }));
    let node = await json(await call("GET", `/api/v1/nodes/${name}`));
    expect(node.metadata.labels).toMatchObject({ site: "a", "runtime.edgeset.dev/process": "true", "runtime.edgeset.dev/docker": "true" });
    await call("PATCH", `/api/v1/nodes/${name}`, { metadata: { labels: { site: "b" } } }, { contentType: "application/merge-patch+json" });
    await call("POST", "/agent/v1/sync", { node: { runtimes: ["process"] }, pods: [] }, { token: enrolled.credential });
    node = await json(await call("GET", `/api/v1/nodes/${name}`));
    expect(node.metadata.labels.site).toBe("b");
    expect(node.metadata.labels["runtime.edgeset.dev/process"]).toBe("true");
    expect(node.metadata.labels["runtime.edgeset.dev/docker"]).toBeUndefined();
  });
});

describe("assignment versions", () => {
  it("never answers 304 to a version from before the node was deleted and enrolled again", async () => {
    const site = unique("site");
    const name = unique("reborn");
    const first = await enroll(name, { site });
    const ds = unique("phoenix");
    await call("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet({ name: ds, nodeSelector: { site } }));
    await reconcile(ds);
    const before = await json(await call("POST", "/agent/v1/sync", { node: {}, pods: [] }, { token: first }));
    expect(before.pods).toHaveLength(1);
    await call("DELETE", `/api/v1/nodes/${name}`);
    const again = await enroll(name, { site });
    await reconcile(ds);
    const res = await call("POST", "/agent/v1/sync", { node: {}, pods: [] }, { token: again, headers: { "If-None-Match": before.version } });
    expect(res.status).toBe(200);
    const after = await json(res);
    expect(after.pods[0].metadata.uid).not.toBe(before.pods[0].metadata.uid);
  });
});
