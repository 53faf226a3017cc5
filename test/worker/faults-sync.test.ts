/**
 * Device syncs delivered twice and out of order, replayed as raw bodies with the node credential
 * (a retried request, a request the network held back and delivered after a newer one). A repeat
 * must change nothing; a report older than one already applied must not overwrite it.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { daemonSet } from "../support/manifests.ts";
import { call, enroll, json, sync, unique } from "./helpers.ts";

/** A node with one DaemonSet pod assigned: its credential, the pod and the assignments version. */
async function nodeWithPod() {
  const site = unique("site");
  const nodeName = unique("replay");
  const credential = await enroll(nodeName, { site });
  const ds = unique("replayed");
  expect((await call("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet({ name: ds, nodeSelector: { site } }))).status).toBe(201);
  await env.DAEMONSET_CONTROLLER.getByName(`default/${ds}`).reconcileNow({ namespace: "default", name: ds });
  const assigned = await json(await sync(credential));
  expect(assigned.pods).toHaveLength(1);
  return { nodeName, credential, pod: assigned.pods[0], version: assigned.version as string };
}

/** A sync body reporting the pod with `restartCount` restarts, ready or not. */
function report(pod: any, nodeName: string, ready: boolean, restartCount: number) {
  const startedAt = new Date(Date.UTC(2026, 0, 1, 0, restartCount)).toISOString();
  return {
    node: { labels: { "kubernetes.io/hostname": nodeName } },
    pods: [
      {
        namespace: "default",
        name: pod.metadata.name,
        uid: pod.metadata.uid,
        status: {
          phase: "Running",
          conditions: [{ type: "Ready", status: ready ? "True" : "False" }],
          containerStatuses: [{ name: "main", image: "busybox:1.36", imageID: "", ready, restartCount, started: true, state: { running: { startedAt } } }],
        },
      },
    ],
  };
}

const storedPod = async (pod: any) => json(await call("GET", `/api/v1/namespaces/default/pods/${pod.metadata.name}`));
const eventCount = async (name: string) => (await json(await call("GET", `/api/v1/events?fieldSelector=involvedObject.name%3D${name}`))).items.length;

describe("a sync delivered twice", () => {
  it("is applied once: the repeat writes nothing and is answered like the first", async () => {
    const { nodeName, credential, pod, version } = await nodeWithPod();
    const body = report(pod, nodeName, true, 0);
    expect((await sync(credential, body, version)).status).toBe(304);
    const once = await storedPod(pod);
    const node = await json(await call("GET", `/api/v1/nodes/${nodeName}`));
    const events = await eventCount(nodeName);

    const again = await sync(credential, body, version);
    expect(again.status).toBe(304);
    expect((await storedPod(pod)).metadata.resourceVersion).toBe(once.metadata.resourceVersion);
    expect((await json(await call("GET", `/api/v1/nodes/${nodeName}`))).metadata.resourceVersion).toBe(node.metadata.resourceVersion);
    expect(await eventCount(nodeName)).toBe(events);
    // Without the ETag (the agent lost the answer and asks again), the same assignments come back.
    const whole = await sync(credential, body);
    expect(whole.status).toBe(200);
    expect((await json(whole)).version).toBe(version);
    expect((await storedPod(pod)).metadata.resourceVersion).toBe(once.metadata.resourceVersion);
  });

  it("a terminated pod's report arriving again after the pod is gone brings nothing back", async () => {
    const { nodeName, credential, pod, version } = await nodeWithPod();
    const running = report(pod, nodeName, true, 0);
    await sync(credential, running, version);
    expect((await call("DELETE", `/api/v1/namespaces/default/pods/${pod.metadata.name}`)).status).toBe(200);
    const done = { node: running.node, pods: [], terminated: [pod.metadata.uid] };
    expect((await sync(credential, done)).status).toBe(200);
    expect((await call("GET", `/api/v1/namespaces/default/pods/${pod.metadata.name}`)).status).toBe(404);
    // The same final report again, then the older "running" one held back by the network.
    expect((await sync(credential, done)).status).toBe(200);
    expect((await sync(credential, running)).status).toBe(200);
    const found = await call("GET", `/api/v1/namespaces/default/pods/${pod.metadata.name}`);
    if (found.status === 200) expect((await json(found)).metadata.uid).not.toBe(pod.metadata.uid);
    else expect(found.status).toBe(404);
  });
});

describe("syncs delivered out of order", () => {
  const sequenced = (credential: string, body: unknown, sequence: string, etag?: string) =>
    call("POST", "/agent/v1/sync", body, { token: credential, headers: { "X-Edgeset-Report-Sequence": sequence, ...(etag ? { "If-None-Match": etag } : {}) } });
  const storedPod = async (pod: any) => json(await call("GET", `/api/v1/namespaces/default/pods/${pod.metadata.name}`));

  it("a report older than one already applied does not overwrite it", async () => {
    const { nodeName, credential, pod, version } = await nodeWithPod();
    const older = report(pod, nodeName, false, 0);
    const newer = report(pod, nodeName, true, 1);
    // The agent sent `older` (attempt 7), timed out, sent `newer` (attempt 8); the network delivers `newer` first.
    expect((await sequenced(credential, newer, "boot-a/8", version)).status).toBeLessThan(400);
    expect((await storedPod(pod)).status.containerStatuses[0].restartCount).toBe(1);
    const late = await sequenced(credential, older, "boot-a/7", version);
    expect(late.status).toBeLessThan(400);
    const stored = await storedPod(pod);
    expect(stored.status.containerStatuses[0].restartCount).toBe(1);
    expect(stored.status.conditions.find((c: any) => c.type === "Ready").status).toBe("True");
    // A new agent process (another boot) starts its own count, and is written through.
    await sequenced(credential, report(pod, nodeName, false, 2), "boot-b/1", version);
    expect((await storedPod(pod)).status.containerStatuses[0].restartCount).toBe(2);
  });

  it("refuses a malformed sequence with 400 and writes nothing", async () => {
    const { nodeName, credential, pod, version } = await nodeWithPod();
    const res = await sequenced(credential, report(pod, nodeName, true, 5), "../../etc", version);
    expect(res.status).toBe(400);
    expect((await storedPod(pod)).status.containerStatuses?.[0]?.restartCount ?? 0).not.toBe(5);
  });
});
