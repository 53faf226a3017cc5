/**
 * The DaemonSet controller's Durable Object driving rollouts, inside workerd with fake agents:
 * one wave at a time (nothing more until the last wave's results were seen), the alarm re-driving
 * a rollout that waits on minReadySeconds, status written only when it changes, failed pods
 * replaced with a Warning event, and history pruned to revisionHistoryLimit under OnDelete.
 */
import { describe, expect, it } from "vitest";
import type { Pod } from "../../src/resources/types.ts";
import { waitFor } from "../support/wait.ts";
import { call, unique } from "./helpers.ts";
import {
  countedEvents,
  createDaemonSet,
  deleting,
  eventsOf,
  getDaemonSet,
  imageOf,
  newFleet,
  podsOf,
  reconcile,
  revisionsOf,
  rollingDaemonSet,
  setImage,
} from "./controller-fleet.ts";

describe("a rolling update driven by the controller", () => {
  it("deletes one wave, then nothing more until the control plane has seen that wave's results", async () => {
    const site = unique("site");
    const name = unique("waves");
    const fleet = await newFleet(3, { site });
    await createDaemonSet(rollingDaemonSet(name, site, "v1"));
    await fleet.settle(name);
    expect((await podsOf(name)).map(imageOf)).toEqual(["busybox:v1", "busybox:v1", "busybox:v1"]);

    expect((await setImage(name, "v2")).status).toBe(200);
    await reconcile(name);
    const wave = deleting(await podsOf(name));
    expect(wave).toHaveLength(1);
    // The deleted pod's node has not confirmed it stopped: passes change nothing.
    await reconcile(name);
    await reconcile(name);
    expect((await podsOf(name)).filter((p) => !p.metadata.deletionTimestamp).map(imageOf)).toEqual(["busybox:v1", "busybox:v1"]);
    expect(deleting(await podsOf(name)).map((p) => p.metadata.name)).toEqual(wave.map((p) => p.metadata.name));

    // The node learns of the deletion, then confirms it: the replacement is created, and no new
    // wave starts while it is not Ready.
    await fleet.sync();
    await reconcile(name);
    expect(deleting(await podsOf(name))).toHaveLength(1);
    await fleet.sync();
    await reconcile(name);
    const replaced = await podsOf(name);
    expect(replaced.map(imageOf).sort()).toEqual(["busybox:v1", "busybox:v1", "busybox:v2"]);
    expect(deleting(replaced)).toHaveLength(0);
    await reconcile(name);
    expect(deleting(await podsOf(name))).toHaveLength(0);

    // Once the new pod is reported Ready, the next wave goes.
    await fleet.sync();
    await fleet.sync();
    await reconcile(name);
    expect(deleting(await podsOf(name))).toHaveLength(1);

    await fleet.settle(name, 8);
    const ds = await getDaemonSet(name);
    expect((await podsOf(name)).map(imageOf)).toEqual(["busybox:v2", "busybox:v2", "busybox:v2"]);
    expect(ds.status).toMatchObject({ desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3, numberUnavailable: 0, observedGeneration: 2 });
    const events = await eventsOf(name);
    // One Event per reason per pass, counting its pods (the event correlator's aggregation).
    expect(countedEvents(events, "SuccessfulCreate")).toBe(6);
    expect(countedEvents(events, "SuccessfulDelete")).toBe(3);
  });

  it("is re-driven by its alarm when it waits on minReadySeconds", async () => {
    const site = unique("site");
    const name = unique("minready");
    const fleet = await newFleet(2, { site });
    await createDaemonSet(rollingDaemonSet(name, site, "v1", { minReadySeconds: 1 }));
    await fleet.settle(name);
    // The v1 pods become available once Ready for minReadySeconds: a pass counts them then.
    await waitFor("the v1 pods available", async () => {
      await reconcile(name);
      return (await getDaemonSet(name)).status.numberAvailable === 2;
    });

    await setImage(name, "v2");
    await reconcile(name);
    const isReady = (p: Pod) => p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True");
    const waiting = await fleet.until(name, (pods) => pods.some((p) => imageOf(p) === "busybox:v2" && isReady(p)));
    expect(waiting.map(imageOf).sort()).toEqual(["busybox:v1", "busybox:v2"]);

    // Nothing pokes the controller from here: only its alarm can take the rollout on. (On a loaded
    // machine more than the 1 s of minReadySeconds may pass before the pods are read, and a pass
    // may have taken the next wave already; what holds either way is when it was taken.)
    const next = await waitFor("the alarm's pass deleting the next wave", async () => {
      const pods = await podsOf(name);
      return deleting(pods).length > 0 ? pods : undefined;
    });
    expect(deleting(next).map(imageOf)).toEqual(["busybox:v1"]);
    // The wave waited until the new pod had been Ready for minReadySeconds (whole seconds, as stored).
    const readySince = Date.parse(next.find((p) => imageOf(p) === "busybox:v2")!.status!.conditions!.find((c) => c.type === "Ready")!.lastTransitionTime!);
    const [taken] = deleting(next);
    const deletedAt = Date.parse(taken!.metadata.deletionTimestamp!) - (taken!.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
    expect(deletedAt).toBeGreaterThanOrEqual(readySince + 1000);
  });

  it("writes status only when it changed, and observes every generation", async () => {
    const site = unique("site");
    const name = unique("status");
    const fleet = await newFleet(2, { site });
    await createDaemonSet(rollingDaemonSet(name, site, "v1"));
    await fleet.settle(name);
    const settled = await getDaemonSet(name);
    expect(settled.status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 2, numberAvailable: 2, updatedNumberScheduled: 2, observedGeneration: 1 });

    await reconcile(name);
    await reconcile(name);
    expect((await getDaemonSet(name)).metadata.resourceVersion).toBe(settled.metadata.resourceVersion);

    // A metadata-only change bumps no generation and needs no status write either.
    await call("PATCH", `/apis/apps/v1/namespaces/default/daemonsets/${name}`, { metadata: { labels: { team: "edge" } } }, { contentType: "application/merge-patch+json" });
    const labelled = await getDaemonSet(name);
    await reconcile(name);
    expect((await getDaemonSet(name)).metadata.resourceVersion).toBe(labelled.metadata.resourceVersion);

    await call("PATCH", `/apis/apps/v1/namespaces/default/daemonsets/${name}`, { spec: { minReadySeconds: 5 } }, { contentType: "application/merge-patch+json" });
    await reconcile(name);
    const observed = await getDaemonSet(name);
    expect(observed.metadata.generation).toBe(2);
    expect(observed.status.observedGeneration).toBe(2);
  });

  it("replaces a failed pod, with a Warning event", async () => {
    const site = unique("site");
    const name = unique("failing");
    const fleet = await newFleet(2, { site });
    await createDaemonSet(rollingDaemonSet(name, site, "v1"));
    await fleet.settle(name);
    const [sick] = fleet.nodes;
    const failedUid = [...sick!.pods.values()][0]!.metadata.uid;
    sick!.statusOf = () => ({ phase: "Failed", conditions: [{ type: "Ready", status: "False" }] });
    await sick!.sync();
    await reconcile(name);
    expect(deleting(await podsOf(name)).map((p) => p.metadata.uid)).toEqual([failedUid]);
    const warnings = (await eventsOf(name)).filter((e) => e.reason === "FailedDaemonPod");
    expect(warnings).toHaveLength(1);
    expect(warnings[0].type).toBe("Warning");
    expect(warnings[0].message).toContain(`on node ${sick!.name}, will try to kill it`);

    sick!.statusOf = (pod) => (pod.metadata.uid === failedUid ? { phase: "Failed" } : { phase: "Running", conditions: [{ type: "Ready", status: "True" }] });
    await fleet.settle(name);
    const pods = await podsOf(name);
    expect(pods).toHaveLength(2);
    expect(pods.some((p) => p.metadata.uid === failedUid)).toBe(false);
    expect((await getDaemonSet(name)).status.numberAvailable).toBe(2);
  });
});

describe("revision history", () => {
  it("under OnDelete keeps pods as they are, recreates a deleted one on the new template, and prunes to revisionHistoryLimit", async () => {
    const site = unique("site");
    const name = unique("ondelete");
    const fleet = await newFleet(2, { site });
    await createDaemonSet(rollingDaemonSet(name, site, "v1", { updateStrategy: { type: "OnDelete" }, revisionHistoryLimit: 1 }));
    await fleet.settle(name);
    for (const version of ["v2", "v3", "v4"]) {
      await setImage(name, version);
      await fleet.settle(name, 2);
    }
    // Nothing was replaced: both pods still run v1, whose revision is kept because they use it.
    const pods = await podsOf(name);
    expect(pods.map(imageOf)).toEqual(["busybox:v1", "busybox:v1"]);
    const revisions = await revisionsOf(name);
    expect(revisions.map((r) => r.revision)).toEqual([1, 4]);
    expect(pods.every((p) => p.metadata.labels?.["controller-revision-hash"] === revisions[0].metadata.labels["controller-revision-hash"])).toBe(true);
    expect((await getDaemonSet(name)).status).toMatchObject({ updatedNumberScheduled: 0, numberAvailable: 2, observedGeneration: 4 });

    // An operator deletes one pod: it comes back on the current template.
    const victim = pods[0]!;
    expect((await call("DELETE", `/api/v1/namespaces/default/pods/${victim.metadata.name}`)).status).toBe(200);
    await fleet.settle(name);
    const after = await podsOf(name);
    expect(after.map(imageOf).sort()).toEqual(["busybox:v1", "busybox:v4"]);
    expect((await getDaemonSet(name)).status.updatedNumberScheduled).toBe(1);

    // The other pod fails on its device: it is deleted and comes back on the current template too.
    const failing = after.find((p) => imageOf(p) === "busybox:v1")!;
    const node = fleet.nodes.find((n) => n.name === failing.spec.nodeName)!;
    node.statusOf = (pod) => (pod.metadata.uid === failing.metadata.uid ? { phase: "Failed" } : { phase: "Running", conditions: [{ type: "Ready", status: "True" }] });
    const replaced = await fleet.until(name, (pods) => pods.length === 2 && pods.every((p) => imageOf(p) === "busybox:v4" && !p.metadata.deletionTimestamp));
    expect(replaced.some((p) => p.metadata.uid === failing.metadata.uid)).toBe(false);
    expect((await eventsOf(name)).filter((e) => e.reason === "FailedDaemonPod")).toHaveLength(1);
  });
});
