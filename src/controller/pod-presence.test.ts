import { describe, expect, it } from "vitest";
import type { Pod, PodStatus } from "../resources/types.ts";
import type { Write } from "../store/writes.ts";
import { podPresenceChanged, podsMovedByMirrorWrites } from "./pod-presence.ts";

const status = (phase: PodStatus["phase"]): PodStatus => ({ phase });
const mirror = (name: string, phase: PodStatus["phase"] = "Running"): Pod => ({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default" }, spec: { containers: [], nodeName: "n1" }, status: status(phase) });
const ref = (name: string) => ({ kind: "Pod", namespace: "default", name });

describe("podPresenceChanged", () => {
  it.each<[string, PodStatus | undefined, PodStatus, boolean]>([
    ["Pending to Running: still there", status("Pending"), status("Running"), false],
    ["Running to Failed: gone", status("Running"), status("Failed"), true],
    ["Running to Succeeded: gone", status("Running"), status("Succeeded"), true],
    ["no status yet to Running", undefined, status("Running"), false],
  ])("%s", (_name, before, after, expected) => {
    expect(podPresenceChanged(before, after)).toBe(expected);
  });
});

describe("podsMovedByMirrorWrites", () => {
  const stored = [mirror("etcd-n1"), mirror("old-n1"), mirror("fine-n1")];
  it.each<[string, Write[], string[]]>([
    ["a mirror created", [{ op: "create", object: mirror("new-n1") }], ["new-n1"]],
    ["a mirror deleted", [{ op: "delete", ref: ref("old-n1") }], ["old-n1"]],
    ["a mirror that finished", [{ op: "setStatus", ref: ref("etcd-n1"), status: status("Failed") }], ["etcd-n1"]],
    ["a mirror whose status changed otherwise", [{ op: "setStatus", ref: ref("fine-n1"), status: { phase: "Running", podIP: "10.0.0.1" } }], []],
    ["an Event about a bad manifest", [{ op: "create", object: { apiVersion: "v1", kind: "Event", metadata: { name: "e" } } as never }], []],
  ])("%s", (_name, writes, expected) => {
    expect(podsMovedByMirrorWrites(stored, writes).map((p) => p.metadata.name)).toEqual(expected);
  });
});
