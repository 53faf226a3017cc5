import { describe, expect, it } from "vitest";
import { reportLimits } from "../../resources/node/report-limits.ts";
import { checkEnrollRequest, checkSyncRequest } from "./report.ts";

const fields = (body: unknown) => checkSyncRequest(body).errors.map((e) => e.field);
const podReport = (status: unknown) => ({ node: {}, pods: [{ namespace: "default", name: "p", uid: "u", status }] });

describe("checkSyncRequest", () => {
  it.each([
    ["an empty report", { node: {}, pods: [] }, []],
    ["too many pods, before any pod is looked at", { node: {}, pods: Array.from({ length: reportLimits.pods + 1 }, () => null) }, ["pods"]],
    ["too many static pods, before any is looked at", { node: {}, pods: [], staticPods: Array.from({ length: reportLimits.staticPods + 1 }, () => null) }, ["staticPods"]],
    ["too many terminated uids", { node: {}, pods: [], terminated: Array.from({ length: reportLimits.pods + 1 }, () => "u") }, ["terminated"]],
    ["a pod status over its byte limit", podReport({ message: "x".repeat(reportLimits.podStatusBytes) }), ["pods[0].status"]],
    ["a pod status with a field of the wrong type", podReport({ startTime: 3 }), ["pods[0].status.startTime"]],
    ["a pod status with a time that is no time", podReport({ startTime: "yesterday" }), ["pods[0].status.startTime"]],
    ["a pod status with podIPs: [null]", podReport({ podIPs: [null] }), ["pods[0].status.podIPs[0]"]],
    ["capacity that is no quantity", { node: { capacity: { cpu: "lots" } }, pods: [] }, ["node.capacity[cpu]"]],
    ["a node condition with a time that is no time", { node: { conditions: [{ type: "DiskPressure", status: "False", lastTransitionTime: "soon" }] }, pods: [] }, ["node.conditions[0].lastTransitionTime"]],
    ["a node report over its byte limit", { node: { nodeInfo: Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`k${i}`, "x".repeat(4096)])) }, pods: [] }, ["node"]],
  ])("%s", (_what, body, expected) => {
    expect(fields(body)).toEqual(expected);
  });

  it("keeps only the fields the PodStatus schema knows", () => {
    expect(checkSyncRequest(podReport({ phase: "Running", extra: { deep: 1 } })).request.pods[0]!.status).toEqual({ phase: "Running" });
  });
});

describe("checkEnrollRequest", () => {
  it("refuses too many labels with one cause", () => {
    const labels = Object.fromEntries(Array.from({ length: reportLimits.mapKeys + 1 }, (_, i) => [`bad key ${i}`, "v"]));
    expect(checkEnrollRequest({ nodeName: "edge", labels }).errors.map((e) => e.field)).toEqual(["labels"]);
  });
});
