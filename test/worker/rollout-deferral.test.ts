/**
 * A device-side deferral through the agent API and the DaemonSet controller's Durable Object
 * (docs/rollouts.md, "Device-side deferral"): the deferred node keeps its old pod while the rest
 * update, and clearing the deferral alone (a node condition, no placement change) wakes the
 * controller, which then offers that node the revision without a full resync.
 */
import { describe, expect, it } from "vitest";
import type { Pod } from "../../src/resources/types.ts";
import { waitFor } from "../support/wait.ts";
import { unique } from "./helpers.ts";
import { createDaemonSet, getDaemonSet, imageOf, newFleet, podsOf, reconcile, rollingDaemonSet, setImage } from "./controller-fleet.ts";

const live = (pods: Pod[]) => pods.filter((p) => !p.metadata.deletionTimestamp);
const deferral = (until: number) => ({ conditions: [{ type: "UpdateDeferred", status: "True", reason: "DeferredOnDevice", message: `until ${new Date(until).toISOString().replace(/\.\d+Z$/, "Z")}: shop open` }] });

describe("a device-side deferral", () => {
  it("holds its node while the rest update, and its clearing alone wakes the controller", async () => {
    const site = unique("site");
    const name = unique("defer");
    const fleet = await newFleet(2, { site });
    const manifest = rollingDaemonSet(name, site, "v1");
    await createDaemonSet({ ...manifest, metadata: { ...manifest.metadata, annotations: { "rollout.edgeset.dev/allow-defer": "true" } } } as typeof manifest);
    await fleet.settle(name);
    const [held, other] = fleet.nodes;
    held!.nodeReport = deferral(Date.now() + 30 * 60_000);
    await held!.sync();

    expect((await setImage(name, "v2")).status).toBe(200);
    await fleet.settle(name, 6);
    const onNode = (pods: Pod[], node: string) => live(pods).find((p) => p.spec.nodeName === node);
    const settled = await podsOf(name);
    expect(imageOf(onNode(settled, other!.name)!)).toBe("busybox:v2");
    expect(imageOf(onNode(settled, held!.name)!)).toBe("busybox:v1");
    expect((await getDaemonSet(name)).metadata.annotations["rollout.edgeset.dev/status"]).toContain("deferred=1");

    // Cleared on the device: from here only syncs, no reconcileNow (which would reload everything).
    held!.nodeReport = {};
    await waitFor(
      "the held node offered v2 once its deferral is cleared",
      async () => {
        await fleet.sync();
        return (await podsOf(name)).some((p) => p.spec.nodeName === held!.name && imageOf(p) === "busybox:v2");
      },
      20_000,
    );
    await reconcile(name);
    expect(live(await podsOf(name)).map(imageOf)).toEqual(["busybox:v2", "busybox:v2"]);
  });
});
