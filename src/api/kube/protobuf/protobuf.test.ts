import { describe, expect, it } from "vitest";
import { decodeProtobufObject, ProtobufError } from "./index.ts";
import { readFields } from "./wire.ts";

// A tiny encoder for building the bodies kubectl sends.
const varint = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return out;
};
const bytes = (field: number, value: number[] | string): number[] => {
  const data = typeof value === "string" ? [...new TextEncoder().encode(value)] : value;
  return [...varint(field * 8 + 2), ...varint(data.length), ...data];
};
const number = (field: number, value: number): number[] => [...varint(field * 8), ...varint(value)];
const mapEntry = (field: number, key: string, value: number[] | string) => bytes(field, [...bytes(1, key), ...bytes(2, value)]);
const envelope = (apiVersion: string, kind: string, raw: number[]) =>
  new Uint8Array([0x6b, 0x38, 0x73, 0x00, ...bytes(1, [...bytes(1, apiVersion), ...bytes(2, kind)]), ...bytes(2, raw), ...bytes(3, ""), ...bytes(4, "")]);

describe("protobuf request bodies", () => {
  it("decodes the Namespace `kubectl create namespace` sends", () => {
    const meta = [...bytes(1, "shop"), ...mapEntry(11, "team", "edge")];
    expect(decodeProtobufObject(envelope("v1", "Namespace", [...bytes(1, meta), ...bytes(2, []), ...bytes(3, [])]))).toEqual({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "shop", labels: { team: "edge" } },
      spec: {},
    });
  });

  it("decodes a ConfigMap's data, binaryData as base64, and immutable", () => {
    const raw = [...bytes(1, [...bytes(1, "cfg"), ...bytes(3, "default")]), ...mapEntry(2, "a", "1"), ...mapEntry(2, "b", "2"), ...mapEntry(3, "bin", [0xde, 0xad]), ...number(4, 1)];
    expect(decodeProtobufObject(envelope("v1", "ConfigMap", raw))).toEqual({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "cfg", namespace: "default" },
      data: { a: "1", b: "2" },
      binaryData: { bin: "3q0=" },
      immutable: true,
    });
  });

  it("decodes a Secret's bytes as base64 and its type", () => {
    const raw = [...bytes(1, bytes(1, "creds")), ...mapEntry(2, "pass", "hunter2"), ...bytes(3, "Opaque")];
    expect(decodeProtobufObject(envelope("v1", "Secret", raw))).toMatchObject({ data: { pass: "aHVudGVyMg==" }, type: "Opaque" });
  });

  it("decodes owner references, finalizers, generation and timestamps in metadata", () => {
    const owner = [...bytes(1, "DaemonSet"), ...bytes(3, "web"), ...bytes(4, "u1"), ...bytes(5, "apps/v1"), ...number(6, 1)];
    const meta = [...bytes(1, "x"), ...number(7, 3), ...bytes(8, number(1, 1767225600)), ...bytes(13, owner), ...bytes(14, "a"), ...bytes(14, "b")];
    expect(decodeProtobufObject(envelope("v1", "ConfigMap", bytes(1, meta))).metadata).toEqual({
      name: "x",
      generation: 3,
      creationTimestamp: "2026-01-01T00:00:00Z",
      ownerReferences: [{ kind: "DaemonSet", name: "web", uid: "u1", apiVersion: "apps/v1", controller: true }],
      finalizers: ["a", "b"],
    });
  });

  it("decodes the SelfSubjectAccessReview of `kubectl auth can-i create daemonsets`", () => {
    const attributes = [...bytes(1, "default"), ...bytes(2, "create"), ...bytes(3, "apps"), ...bytes(5, "daemonsets")];
    expect(decodeProtobufObject(envelope("authorization.k8s.io/v1", "SelfSubjectAccessReview", [...bytes(1, []), ...bytes(2, bytes(1, attributes))]))).toEqual({
      apiVersion: "authorization.k8s.io/v1",
      kind: "SelfSubjectAccessReview",
      metadata: {},
      spec: { resourceAttributes: { namespace: "default", verb: "create", group: "apps", resource: "daemonsets" } },
    });
  });

  it.each<[string, Uint8Array]>([
    ["a body without the envelope", new Uint8Array([1, 2, 3])],
    ["a kind it has no schema for", envelope("apps/v1", "DaemonSet", [])],
    ["a truncated field", new Uint8Array([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x09, 0x01])],
  ])("refuses %s", (_name, body) => {
    expect(() => decodeProtobufObject(body)).toThrow(ProtobufError);
  });

  it("reads every wire type", () => {
    const buf = new Uint8Array([0x08, 0x96, 0x01, 0x11, 1, 0, 0, 0, 0, 0, 0, 0, 0x1a, 0x01, 0x41, 0x25, 2, 0, 0, 0]);
    expect(readFields(buf).map((f) => [f.field, f.wireType, f.value ?? [...f.bytes!]])).toEqual([
      [1, 0, 150],
      [2, 1, 1],
      [3, 2, [0x41]],
      [4, 5, 2],
    ]);
  });
});
