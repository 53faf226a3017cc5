import { describe, expect, it } from "vitest";
import { formatUpcoming, stagedRevisionOf, upcomingAnnotation } from "../../src/protocol/prestage.ts";
import type { Pod, PodSpec } from "../../src/resources/types.ts";
import { Stager } from "./stager.ts";

const v2: PodSpec = { containers: [{ name: "web", image: "registry.example/web:2" }], volumes: [{ name: "cfg", configMap: { name: "web-v2" } }, { name: "tmp", emptyDir: {} }] };

function pod(uid: string, upcoming?: { revision: string; spec: PodSpec }): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: `web-${uid}`, namespace: "default", uid, ...(upcoming ? { annotations: { [upcomingAnnotation]: formatUpcoming(upcoming) } } : {}) },
    spec: { nodeName: "n1", containers: [{ name: "web", image: "registry.example/web:1" }] },
  };
}

function harness(pull: (spec: PodSpec) => Promise<string[]> = async (spec) => spec.containers.map((c) => c.image ?? "")) {
  const calls: string[] = [];
  let now = 0;
  const stager = new Stager({
    runtime: {
      pullImages: async (_ns, spec) => {
        calls.push(`pull ${spec.containers.map((c) => c.image).join(",")}`);
        return pull(spec);
      },
    },
    volumes: {
      setUp: (key, p) => {
        calls.push(`setUp ${key} ${(p.spec.volumes ?? []).map((v) => v.name).join(",")}`);
        return { paths: new Map() };
      },
      tearDown: (key) => void calls.push(`tearDown ${key}`),
    },
    config: { configMap: () => undefined, secret: () => undefined },
    podFacts: () => ({ nodeName: "n1" }),
    log: () => {},
    now: () => now,
    retryMs: 1000,
  });
  let changes = 0;
  stager.onChange(() => changes++);
  return { stager, calls, advance: (ms: number) => (now += ms), changes: () => changes };
}

const conditionOf = (stager: Stager, uid: string) => stager.conditions()[uid];

describe("Stager", () => {
  it("pulls the images, writes the API volumes (not emptyDir) to a staging dir, and reports Staged", async () => {
    const { stager, calls, changes } = harness();
    stager.update([pod("u1", { revision: "h2", spec: v2 })]);
    expect(conditionOf(stager, "u1")).toEqual({ type: "rollout.edgeset.dev/Staged", status: "False", reason: "Staging", message: "revision h2" });
    await stager.idle();
    expect(calls).toEqual(["pull registry.example/web:2", "setUp default_web-u1.upcoming_u1-h2 cfg"]);
    expect(conditionOf(stager, "u1")).toMatchObject({ status: "True", reason: "Staged", message: "revision h2: 1 image pulled, 1 volume written" });
    expect(stagedRevisionOf({ status: { conditions: [conditionOf(stager, "u1")!] } })).toBe("h2");
    expect(changes()).toBe(2);
  });

  it("an unchanged update stages nothing again and changes nothing", async () => {
    const { stager, calls, changes } = harness();
    const pods = [pod("u1", { revision: "h2", spec: v2 })];
    stager.update(pods);
    await stager.idle();
    const before = changes();
    stager.update(pods);
    await stager.idle();
    expect(calls.filter((c) => c.startsWith("pull"))).toHaveLength(1);
    expect(changes()).toBe(before);
  });

  it.each([
    ["no annotation", pod("u1")],
    ["a malformed annotation", { ...pod("u1"), metadata: { ...pod("u1").metadata, annotations: { [upcomingAnnotation]: "{not json" } } }],
    ["a terminating pod", { ...pod("u1", { revision: "h2", spec: v2 }), metadata: { ...pod("u1", { revision: "h2", spec: v2 }).metadata, deletionTimestamp: "2026-01-01T00:00:00Z" } }],
  ])("%s: nothing staged, no condition", async (_name, p) => {
    const { stager, calls } = harness();
    stager.update([p as Pod]);
    await stager.idle();
    expect(calls).toEqual([]);
    expect(stager.conditions()).toEqual({});
  });

  it("a newer upcoming revision replaces the staged one; the annotation going away removes the staging", async () => {
    const { stager, calls } = harness();
    stager.update([pod("u1", { revision: "h2", spec: v2 })]);
    await stager.idle();
    stager.update([pod("u1", { revision: "h3", spec: { containers: [{ name: "web", image: "registry.example/web:3" }] } })]);
    await stager.idle();
    expect(calls).toContain("tearDown default_web-u1.upcoming_u1-h2");
    expect(conditionOf(stager, "u1")?.message).toBe("revision h3: 1 image pulled, 0 volumes written");
    stager.update([pod("u1")]);
    expect(stager.conditions()).toEqual({});
    expect(calls.at(-1)).toBe("tearDown default_web-u1.upcoming_u1-h3");
  });

  it("a failed pull is reported StagingFailed and tried again after the retry delay", async () => {
    let fail = true;
    const { stager, calls, advance } = harness(async () => {
      if (fail) throw new Error('failed to pull image "registry.example/web:2": connection refused');
      return ["registry.example/web:2"];
    });
    const pods = [pod("u1", { revision: "h2", spec: v2 })];
    stager.update(pods);
    await stager.idle();
    expect(conditionOf(stager, "u1")).toMatchObject({ status: "False", reason: "StagingFailed", message: 'revision h2: failed to pull image "registry.example/web:2": connection refused' });
    stager.update(pods);
    await stager.idle();
    expect(calls.filter((c) => c.startsWith("pull"))).toHaveLength(1);
    fail = false;
    advance(1000);
    stager.update(pods);
    await stager.idle();
    expect(conditionOf(stager, "u1")).toMatchObject({ status: "True", reason: "Staged" });
  });

  it("a spec the agent would refuse is not pulled", async () => {
    const { stager, calls } = harness();
    stager.update([pod("u1", { revision: "h2", spec: { containers: [{ name: "Bad_Name", image: "x:1" }] } })]);
    await stager.idle();
    expect(calls).toEqual([]);
    expect(conditionOf(stager, "u1")).toMatchObject({ status: "False", reason: "StagingFailed" });
    expect(conditionOf(stager, "u1")?.message).toMatch(/^revision h2: the upcoming revision cannot run here: spec\.containers\[0\]\.name/);
  });

  it("stages one revision at a time", async () => {
    let release: () => void = () => {};
    let inFlight = 0;
    let most = 0;
    const { stager } = harness(async (spec) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise<void>((resolve) => (release = resolve));
      inFlight--;
      return spec.containers.map((c) => c.image ?? "");
    });
    stager.update([pod("u1", { revision: "h2", spec: v2 }), pod("u2", { revision: "h2", spec: v2 })]);
    for (let i = 0; i < 2; i++) {
      await new Promise((r) => setTimeout(r, 5));
      release();
    }
    await stager.idle();
    expect(most).toBe(1);
    expect(Object.values(stager.conditions()).map((c) => c.status)).toEqual(["True", "True"]);
  });
});
