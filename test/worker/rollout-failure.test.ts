/**
 * A failed edge rollout through the DaemonSet controller's Durable Object, inside workerd with
 * fake agents (docs/rollouts.md): the failure threshold with automatic rollback (the template
 * restored, the old revision's change-cause recorded, a Warning Event that says why, the
 * RolledBack condition), and the progress deadline (Progressing=False, a Warning Event), with
 * the clock moved by the test instead of waited for.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Pod, PodStatus } from "../../src/resources/types.ts";
import { call, unique } from "./helpers.ts";
import { createDaemonSet, eventsOf, getDaemonSet, imageOf, newFleet, podsOf, reconcile, rollingDaemonSet } from "./controller-fleet.ts";

const dsPath = (name: string) => `/apis/apps/v1/namespaces/default/daemonsets/${name}`;
const changeCause = "kubernetes.io/change-cause";

function edgeDaemonSet(name: string, site: string, annotations: Record<string, string>) {
  const manifest = rollingDaemonSet(name, site, "v1");
  return { ...manifest, metadata: { ...manifest.metadata, annotations: { [changeCause]: "deploy v1", ...annotations } } };
}

const release = (name: string, version: string) =>
  call(
    "PATCH",
    dsPath(name),
    { metadata: { annotations: { [changeCause]: `deploy ${version}` } }, spec: { template: { spec: { containers: [{ name: "main", image: `busybox:${version}`, command: ["sleep", "3600"] }] } } } },
    { contentType: "application/merge-patch+json" },
  );

const crashLooping = (): PodStatus => ({
  phase: "Running",
  conditions: [{ type: "Ready", status: "False" }],
  containerStatuses: [{ name: "main", ready: false, restartCount: 4, image: "busybox", imageID: "", state: { waiting: { reason: "CrashLoopBackOff", message: "back-off 40s" } } }],
});
const notReady = (): PodStatus => ({ phase: "Running", conditions: [{ type: "Ready", status: "False" }] });
const ready = (): PodStatus => ({ phase: "Running", conditions: [{ type: "Ready", status: "True" }, { type: "ContainersReady", status: "True" }] });
/** v2 pods as the test says, every other pod Running and Ready. */
const v2Reports = (status: () => PodStatus) => (pod: Pod) => (imageOf(pod) === "busybox:v2" ? status() : ready());
const condition = (ds: any, type: string) => ds.status?.conditions?.find((c: any) => c.type === type);

afterEach(() => {
  vi.useRealTimers();
});

describe("a failed edge rollout", () => {
  it("stops at the failure threshold and rolls back: template and change-cause restored, a Warning Event, the RolledBack condition", async () => {
    const site = unique("site");
    const name = unique("rollback");
    const fleet = await newFleet(3, { site });
    await createDaemonSet(edgeDaemonSet(name, site, { "rollout.edgeset.dev/failure-threshold": "50%", "rollout.edgeset.dev/auto-rollback": "true" }));
    await fleet.settle(name);
    expect(condition(await getDaemonSet(name), "Progressing")).toMatchObject({ status: "True", reason: "RolloutComplete" });

    for (const node of fleet.nodes) node.statusOf = v2Reports(crashLooping);
    expect((await release(name, "v2")).status).toBe(200);
    // The first wave (the budget: one node) gets v2, which crash-loops there: 1 of 1 reached failed.
    const reached = await fleet.until(name, (pods) => pods.some((p) => imageOf(p) === "busybox:v2"));
    expect(reached.filter((p) => imageOf(p) === "busybox:v2")).toHaveLength(1);
    await fleet.sync(); // the node reports its v2 pod crash-looping
    await reconcile(name);
    // The threshold stopped it at the first node: no second wave went out.
    const stopped = await podsOf(name);
    expect(stopped.filter((p) => imageOf(p) === "busybox:v1" && p.metadata.deletionTimestamp)).toHaveLength(0);
    expect(stopped.filter((p) => imageOf(p) === "busybox:v2")).toHaveLength(1);

    const ds = await getDaemonSet(name);
    expect(ds.spec.template.spec.containers[0].image).toBe("busybox:v1");
    expect(ds.metadata.annotations[changeCause]).toBe("deploy v1");
    const warnings = (await eventsOf(name)).filter((e) => e.type === "Warning");
    const rolledBack = warnings.find((e) => e.reason === "RolloutRolledBack");
    expect(rolledBack?.message).toContain("FailureThresholdExceeded");
    expect(rolledBack?.message).toContain("rolled back to revision 1 (deploy v1)");
    expect(warnings.some((e) => e.reason === "RolloutFailed")).toBe(true);

    // The rollback is a rollout of the old template: every node ends on v1, and the condition says why.
    await fleet.settle(name, 8);
    expect((await podsOf(name)).filter((p) => !p.metadata.deletionTimestamp).map(imageOf)).toEqual(["busybox:v1", "busybox:v1", "busybox:v1"]);
    const after = await getDaemonSet(name);
    expect(condition(after, "RolledBack")).toMatchObject({ status: "True", reason: "AutoRollback" });
    expect(condition(after, "RolledBack").message).toContain("rolled back to revision 1");
    expect(after.status).toMatchObject({ numberAvailable: 3, updatedNumberScheduled: 3 });
  });

  it("is failed when it makes no progress for progress-deadline-seconds, with a Warning Event", async () => {
    const site = unique("site");
    const name = unique("deadline");
    const fleet = await newFleet(2, { site });
    await createDaemonSet(edgeDaemonSet(name, site, { "rollout.edgeset.dev/progress-deadline-seconds": "60" }));
    await fleet.settle(name);

    for (const node of fleet.nodes) node.statusOf = v2Reports(notReady);
    expect((await release(name, "v2")).status).toBe(200);
    await fleet.until(name, (pods) => pods.some((p) => imageOf(p) === "busybox:v2" && p.status?.phase === "Running"));
    await reconcile(name);
    expect(condition(await getDaemonSet(name), "Progressing")).toMatchObject({ status: "True", reason: "RollingUpdate" });

    // Only Date is faked: the controller's clock jumps past the deadline, I/O runs as usual.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 61_000 });
    await reconcile(name);
    const ds = await getDaemonSet(name);
    expect(condition(ds, "Progressing")).toMatchObject({ status: "False", reason: "ProgressDeadlineExceeded" });
    expect(condition(ds, "Progressing").message).toContain("no progress for 60s");
    const failed = (await eventsOf(name)).filter((e) => e.type === "Warning" && e.reason === "RolloutFailed");
    expect(failed).toHaveLength(1);
    expect(failed[0].message).toContain("no progress for 60s");
    // Failed without auto-rollback: the template stays, and no further node is offered v2.
    expect(ds.spec.template.spec.containers[0].image).toBe("busybox:v2");
    await fleet.sync();
    await reconcile(name);
    expect((await podsOf(name)).filter((p) => !p.metadata.deletionTimestamp).map(imageOf).sort()).toEqual(["busybox:v1", "busybox:v2"]);
  });
});
