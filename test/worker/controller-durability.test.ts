/**
 * What the DaemonSet controller's Durable Object keeps when it is interrupted: a wave recorded in
 * its outbox but not yet applied to D1 survives an eviction and is applied, exactly as decided, by
 * the alarm; an outbox replayed after it was already applied (the object died between committing
 * to D1 and clearing the outbox) changes nothing.
 */
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { unique } from "./helpers.ts";
import { controllerOf, countedEvents, createDaemonSet, deleting, eventsOf, imageOf, newFleet, podsOf, rollingDaemonSet, setImage } from "./controller-fleet.ts";

interface OutboxRow {
  seq: number;
  write: string;
}

/** The controller as the tests reach into it: its run, its outbox applier and its SQLite. */
interface ControllerInternals {
  reconcileNow(ref: { namespace: string; name: string }): Promise<unknown>;
  applyOutbox(): Promise<void>;
  sql: SqlStorage;
}

const outboxOf = (sql: SqlStorage) => sql.exec<{ seq: number; write: string }>(`SELECT seq, write FROM outbox ORDER BY seq`).toArray() as OutboxRow[];
const plannedDeletes = (rows: OutboxRow[]) =>
  rows
    .map((row) => JSON.parse(row.write))
    .filter((w) => w.op === "setFields" && w.ref.kind === "Pod" && w.fields.some(([path]: [string[]]) => path.join(".") === "metadata.deletionTimestamp"))
    .map((w) => w.ref.name as string)
    .sort();

describe("the controller's outbox", () => {
  it("keeps a recorded wave through an eviction, and its alarm applies exactly that wave", async () => {
    const site = unique("site");
    const name = unique("evicted");
    const fleet = await newFleet(4, { site });
    await createDaemonSet(rollingDaemonSet(name, site, "v1", { updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 2 } } }));
    await fleet.settle(name);
    expect((await podsOf(name)).map(imageOf)).toEqual(Array(4).fill("busybox:v1"));

    // From here the object "dies" whenever it is about to send recorded writes to D1.
    await runInDurableObject(controllerOf(name), (instance: unknown) => {
      const controller = instance as ControllerInternals;
      controller.applyOutbox = async () => {
        if (outboxOf(controller.sql).length > 0) throw new Error("evicted before applying");
      };
    });
    await setImage(name, "v2");
    const recorded = await runInDurableObject(controllerOf(name), async (instance: unknown) => {
      const controller = instance as ControllerInternals;
      await controller.reconcileNow({ namespace: "default", name }).catch(() => undefined);
      return outboxOf(controller.sql);
    });
    const wave = plannedDeletes(recorded);
    expect(wave).toHaveLength(2);
    expect(deleting(await podsOf(name))).toHaveLength(0);

    await evictDurableObject(controllerOf(name));
    // The safety alarm armed by the interrupted run resumes it: the recorded wave, no other.
    expect(await runDurableObjectAlarm(controllerOf(name))).toBe(true);
    expect(deleting(await podsOf(name)).map((p) => p.metadata.name).sort()).toEqual(wave);
    await runInDurableObject(controllerOf(name), (instance: unknown) => expect(outboxOf((instance as ControllerInternals).sql)).toEqual([]));

    // And the rollout goes on to the end within its budget.
    const done = await fleet.until(name, (pods) => pods.length === 4 && pods.every((p) => imageOf(p) === "busybox:v2" && !p.metadata.deletionTimestamp), 20);
    expect(done.map(imageOf)).toEqual(Array(4).fill("busybox:v2"));
    expect(countedEvents(await eventsOf(name), "SuccessfulDelete")).toBe(4);
  });

  it("replays writes that already reached D1 without creating, deleting or recording anything twice", async () => {
    const site = unique("site");
    const name = unique("replayed");
    const fleet = await newFleet(2, { site });
    await createDaemonSet(rollingDaemonSet(name, site, "v1"));

    // The first pass creates the pods; the object dies after D1 committed but before the outbox
    // was cleared, so the next run applies the same writes again.
    await runInDurableObject(controllerOf(name), async (instance: unknown) => {
      const controller = instance as ControllerInternals;
      const apply = controller.applyOutbox.bind(controller);
      let replayed = false;
      controller.applyOutbox = async () => {
        const rows = outboxOf(controller.sql);
        await apply();
        if (!replayed && rows.length > 0) {
          replayed = true;
          for (const row of rows) controller.sql.exec(`INSERT INTO outbox (seq, write) VALUES (?, ?)`, row.seq, row.write);
        }
      };
      await controller.reconcileNow({ namespace: "default", name });
    });

    const pods = await podsOf(name);
    expect(pods).toHaveLength(2);
    expect(new Set(pods.map((p) => p.spec.nodeName)).size).toBe(2);
    expect(countedEvents(await eventsOf(name), "SuccessfulCreate")).toBe(2);
    await fleet.settle(name);
    expect((await podsOf(name)).map((p) => p.metadata.uid).sort()).toEqual(pods.map((p) => p.metadata.uid).sort());
  });
});
