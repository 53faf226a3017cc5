/**
 * Pre-staging through the agent API and the DaemonSet controller's Durable Object
 * (docs/rollouts.md, "Pre-staging"): while a rollout is paused, each node's sync answer carries
 * the upcoming revision on the pod it runs (and the ConfigMap that revision needs); a device
 * reporting it staged is counted in the status annotation (the report alone wakes the
 * controller), a sync after that is a 304 again; on resume the staged node goes first and the
 * other waits for its device, until that device reports its staging failed.
 */
import { describe, expect, it } from "vitest";
import { parseUpcoming, stagedCondition, upcomingAnnotation } from "../../src/protocol/prestage.ts";
import type { Pod } from "../../src/resources/types.ts";
import { waitFor } from "../support/wait.ts";
import { call, unique } from "./helpers.ts";
import { createDaemonSet, getDaemonSet, imageOf, newFleet, podsOf, reconcile, rollingDaemonSet } from "./controller-fleet.ts";

const live = (pods: Pod[]) => pods.filter((p) => !p.metadata.deletionTimestamp);
const statusLine = async (name: string) => (await getDaemonSet(name)).metadata.annotations["rollout.edgeset.dev/status"] as string;
const patch = (name: string, body: unknown) => call("PATCH", `/apis/apps/v1/namespaces/default/daemonsets/${name}`, body, { contentType: "application/merge-patch+json" });

describe("pre-staging", () => {
  it("tells held nodes the upcoming revision, counts the staged ones and offers them first", async () => {
    const site = unique("site");
    const name = unique("prestage");
    const config = unique("web-v2");
    expect((await call("POST", "/api/v1/namespaces/default/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: config }, data: { "app.conf": "v2" } })).status).toBe(201);
    const fleet = await newFleet(2, { site });
    const manifest = rollingDaemonSet(name, site, "v1");
    await createDaemonSet({ ...manifest, metadata: { ...manifest.metadata, annotations: { "rollout.edgeset.dev/prestage": "true", "rollout.edgeset.dev/paused": "true" } } } as typeof manifest);
    await fleet.settle(name);

    const v2 = { spec: { template: { spec: { containers: [{ name: "main", image: "busybox:v2", command: ["sleep", "3600"], volumeMounts: [{ name: "cfg", mountPath: "/etc/web" }] }], volumes: [{ name: "cfg", configMap: { name: config } }] } } } };
    expect((await patch(name, v2)).status).toBe(200);
    await fleet.settle(name);

    // Each node still runs v1; its pod carries v2 and the node got v2's ConfigMap.
    const [first, second] = fleet.nodes;
    for (const node of fleet.nodes) {
      const pods = [...node.pods.values()];
      expect(pods.map(imageOf)).toEqual(["busybox:v1"]);
      const upcoming = parseUpcoming(pods[0]!.metadata.annotations?.[upcomingAnnotation]);
      expect(upcoming?.spec.containers[0]?.image).toBe("busybox:v2");
      expect(node.configMaps.map((c) => c.metadata.name)).toEqual([config]);
    }
    const revision = parseUpcoming([...second!.pods.values()][0]!.metadata.annotations?.[upcomingAnnotation])!.revision;
    expect(await statusLine(name)).toMatch(/ staged=0$/);

    // The second device reports v2 staged: the report alone wakes the controller.
    second!.statusOf = () => ({
      phase: "Running",
      conditions: [{ type: "Ready", status: "True" }, { type: "ContainersReady", status: "True" }, stagedCondition(revision, { kind: "staged", detail: "1 image pulled, 1 volume written" })],
    });
    await waitFor(
      "staged=1 in the status annotation",
      async () => {
        await fleet.sync();
        return (await statusLine(name)).endsWith(" staged=1");
      },
      20_000,
    );
    // Nothing changed since: the next sync is answered 304.
    await second!.sync();
    expect(second!.lastStatus).toBe(304);

    // Resumed: maxUnavailable 1, and the staged node goes first although it is second by name.
    expect((await patch(name, { metadata: { annotations: { "rollout.edgeset.dev/paused": null } } })).status).toBe(200);
    await reconcile(name);
    const pods = await podsOf(name);
    expect(pods.filter((p) => p.metadata.deletionTimestamp).map((p) => p.spec.nodeName)).toEqual([second!.name]);
    expect(live(pods).find((p) => p.spec.nodeName === first!.name)?.metadata.annotations?.[upcomingAnnotation]).toBeDefined();

    // The first node waits for its device's staging (it never reported one)...
    await fleet.until(name, (now) => live(now).some((p) => p.spec.nodeName === second!.name && imageOf(p) === "busybox:v2"), 8);
    await reconcile(name);
    expect(live(await podsOf(name)).find((p) => p.spec.nodeName === first!.name)).toMatchObject({ spec: { containers: [{ image: "busybox:v1" }] } });
    // ...until its device says staging failed: then it is offered as without pre-staging.
    first!.statusOf = () => ({
      phase: "Running",
      conditions: [{ type: "Ready", status: "True" }, { type: "ContainersReady", status: "True" }, stagedCondition(revision, { kind: "failed", message: "no space left on device" })],
    });
    const done = await fleet.until(name, (now) => live(now).length === 2 && live(now).every((p) => imageOf(p) === "busybox:v2"), 12);
    expect(done.every((p) => p.metadata.annotations?.[upcomingAnnotation] === undefined)).toBe(true);
  });
});
