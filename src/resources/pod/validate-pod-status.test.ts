import { describe, expect, it } from "vitest";
import { isIP, validatePodStatus } from "./validate-pod-status.ts";

describe("validatePodStatus", () => {
  it.each([
    ["a plain running status", { phase: "Running", podIP: "10.0.0.7", podIPs: [{ ip: "10.0.0.7" }], hostIPs: [{ ip: "fd00::1" }] }, []],
    ["podIPs: [null]", { podIPs: [null] }, ["status.podIPs[0]"]],
    ["initContainerStatuses: [null]", { initContainerStatuses: [null] }, ["status.initContainerStatuses[0]"]],
    ["a null deep inside a container status", { containerStatuses: [{ name: "a", volumeMounts: [null] }] }, ["status.containerStatuses[0].volumeMounts[0]"]],
    ["an unknown phase", { phase: "Sleeping" }, ["status.phase"]],
    ["a condition without type", { conditions: [{ type: "", status: "True" }] }, ["status.conditions[0].type"]],
    ["a condition status that is no status", { conditions: [{ type: "Ready", status: "Yes" }] }, ["status.conditions[0].status"]],
    ["a container status without name", { containerStatuses: [{ ready: true }] }, ["status.containerStatuses[0].name"]],
    ["two container statuses with one name", { containerStatuses: [{ name: "a" }, { name: "a" }] }, ["status.containerStatuses[1].name"]],
    ["a negative restart count", { containerStatuses: [{ name: "a", restartCount: -1 }] }, ["status.containerStatuses[0].restartCount"]],
    ["a podIP that is no IP", { podIP: "localhost" }, ["status.podIP"]],
    ["a duplicate pod IP", { podIPs: [{ ip: "10.0.0.1" }, { ip: "10.0.0.1" }] }, ["status.podIPs[1].ip"]],
    ["a hostIPs entry without ip", { hostIPs: [{}] }, ["status.hostIPs[0].ip"]],
  ])("%s", (_what, status, fields) => {
    expect(validatePodStatus(status, "status").map((e) => e.field)).toEqual(fields);
  });
});

describe("isIP", () => {
  it.each([
    ["10.0.0.1", true],
    ["255.255.255.255", true],
    ["::1", true],
    ["fd00::1:2", true],
    ["::ffff:10.0.0.1", true],
    ["010.0.0.1", false],
    ["256.0.0.1", false],
    ["10.0.0", false],
    ["fe80::1%eth0", false],
    ["host", false],
    ["", false],
  ])("%s is %s", (value, ok) => expect(isIP(value)).toBe(ok));
});
