import { describe, expect, it } from "vitest";
import type { Node } from "../../../resources/types.ts";
import { leaseTable, microTime, nodeLease } from "./node-lease.ts";


const row = { name: "shop-1", leaseRenewedAt: Date.parse("2026-01-01T12:00:07.123Z"), enrolledAt: Date.parse("2026-01-01T10:00:00Z") };
const node = { apiVersion: "v1", kind: "Node", metadata: { name: "shop-1", uid: "node-uid", resourceVersion: "42" }, spec: {}, status: {} } as Node;

describe("the kube-node-lease Lease of a node", () => {
  it("is held by the node, renewed when the device last renewed, owned by the Node", () => {
    expect(nodeLease(row, node, 40)).toEqual({
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: {
        name: "shop-1",
        namespace: "kube-node-lease",
        resourceVersion: "42",
        creationTimestamp: "2026-01-01T10:00:00Z",
        ownerReferences: [{ apiVersion: "v1", kind: "Node", name: "shop-1", uid: "node-uid" }],
      },
      spec: { holderIdentity: "shop-1", leaseDurationSeconds: 40, renewTime: "2026-01-01T12:00:07.123000Z" },
    });
  });

  it("has no owner while the Node object is missing", () => {
    expect(nodeLease(row, undefined, 40).metadata.ownerReferences).toBeUndefined();
  });

  it.each([
    [Date.parse("2026-01-01T12:00:00Z"), "2026-01-01T12:00:00.000000Z"],
    [Date.parse("2026-01-01T12:00:00.5Z"), "2026-01-01T12:00:00.500000Z"],
  ])("renewTime is a MicroTime (%s)", (ms, want) => {
    expect(microTime(ms)).toBe(want);
  });

  it("prints NAME HOLDER AGE", () => {
    const table = leaseTable([nodeLease(row, node, 40)], Date.parse("2026-01-01T12:00:00Z"));
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(["Name", "Holder", "Age"]);
    expect(table.rows[0]!.cells).toEqual(["shop-1", "shop-1", "120m"]);
  });
});
