/**
 * The fleet simulator, 50 devices against the real Worker: they enroll with a bootstrap token and
 * sync with their node credentials, a fleet-wide DaemonSet reaches every one of them Ready, and a
 * RollingUpdate (maxUnavailable 20 %, at a 2 s interval, so it fits the time limit of `npm test`) replaces every pod with the new revision. A revision whose
 * pods never become Ready stops at its budget: ten devices try it, the other 40 keep the good
 * one while the whole fleet syncs twice more. Keeps `npm run bench` working; asserts outcomes, never
 * timings.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Fleet } from "../../bench/fleet/fleet.ts";
import { converge, dsPath, enrollAndStart, fleetRuns, rollout, type FleetSetup } from "../../bench/fleet/scenarios.ts";
import { startControlPlane, type ControlPlane } from "../support/control-plane.ts";

const nodes = 50;
let cp: ControlPlane;
let fleet: Fleet;
let setup: FleetSetup;

beforeAll(async () => {
  cp = await startControlPlane({ syncIntervalSeconds: 2, nodeGraceSeconds: 40 });
  fleet = new Fleet({ server: cp.url, ca: cp.connection.ca, concurrency: 16, debounceMs: 50 });
  const { token } = await enrollAndStart(cp, fleet, nodes);
  setup = { cp, fleet, token, intervalSeconds: 2 };
});

afterAll(async () => {
  await fleet?.stop();
  await cp?.stop();
});

describe("a simulated fleet of 50 devices", () => {
  it("enrolls every device as a Ready node", async () => {
    const items = (await cp.api("GET", "/api/v1/nodes")).json().items as any[];
    const ready = items.filter((n) => n.status?.conditions?.some((c: any) => c.type === "Ready" && c.status === "True"));
    expect(ready.map((n) => n.metadata.name).sort()).toEqual(fleet.nodes.map((n) => n.name).sort());
  });

  it("runs a new DaemonSet Ready on all 50, then rolls a new revision over all of them", async () => {
    await converge(setup, "smoke", "example/smoke:1", 0, 20);
    expect(fleetRuns(fleet, "example/smoke:1")).toBe(true);

    const result = await rollout(setup, "smoke", "example/smoke:2", 0, 20);
    expect(fleetRuns(fleet, "example/smoke:2")).toBe(true);
    const ds = (await cp.api("GET", dsPath("smoke"))).json();
    expect(ds.status).toMatchObject({ desiredNumberScheduled: nodes, updatedNumberScheduled: nodes, numberReady: nodes, numberAvailable: nodes });
    expect(result.peakUnavailableStatus).toBeLessThanOrEqual(result.budget);
  });

  it("stops a failing revision at its budget of 10 devices", async () => {
    fleet.failImage("example/smoke:broken");
    const patched = await cp.mergePatch(dsPath("smoke"), { spec: { template: { spec: { containers: [{ name: "main", image: "example/smoke:broken", command: ["sleep", "infinity"] }] } } } });
    expect(patched.status).toBe(200);
    const onBroken = () => fleet.nodes.filter((n) => n.livePods().some((p) => p.spec.containers[0]!.image === "example/smoke:broken")).length;
    await fleet.waitFor("ten devices on the failing revision", () => onBroken() === 10, 30_000);
    const syncsNow = new Map(fleet.nodes.map((n) => [n.name, n.syncs]));
    await fleet.waitFor("every device synced twice more", () => fleet.nodes.every((n) => n.syncs >= syncsNow.get(n.name)! + 2), 30_000);
    expect(onBroken()).toBe(10);
    const good = fleet.nodes.filter((n) => n.livePods().some((p) => p.spec.containers[0]!.image === "example/smoke:2" && n.readyPods().has(p.metadata.uid!)));
    expect(good.length).toBe(nodes - 10);
  });
});
