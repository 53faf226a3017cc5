import { describe, expect, it } from "vitest";
import type { ConfigMap, ControllerRevision, Event, Namespace, Secret } from "../types.ts";
import {
  validateConfigMap,
  validateConfigMapUpdate,
  validateControllerRevision,
  validateControllerRevisionUpdate,
  validateEvent,
  validateNamespace,
  validateObjectMeta,
  validateObjectMetaUpdate,
  validateSecret,
  validateSecretUpdate,
} from "./index.ts";

const msgs = (errs: { field: string; message: string }[]) => errs.map((e) => `${e.field}: ${e.message}`);
const meta = { name: "x", namespace: "default" };

describe("validateObjectMeta", () => {
  it.each([
    ["no name", { namespace: "d" }, true, "metadata.name: Required value: name or generateName is required"],
    ["a namespace missing on a namespaced kind", { name: "x" }, true, "metadata.namespace: Required value"],
    ["a namespace on a cluster-scoped kind", { name: "x", namespace: "d" }, false, "metadata.namespace: Forbidden: not allowed on this type"],
    ["a bad annotation key", { ...meta, annotations: { "bad key": "v" } }, true, "metadata.annotations: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"],
    ["annotations above 256 KiB", { ...meta, annotations: { big: "x".repeat(256 * 1024) } }, true, "metadata.annotations: Too long: may not be more than 262144 bytes"],
  ])("rejects %s", (_name, m, namespaced, message) => {
    expect(msgs(validateObjectMeta(m, namespaced))).toContain(message);
  });

  it("accepts generateName instead of a name", () => {
    expect(validateObjectMeta({ generateName: "ds-", namespace: "d" }, true)).toEqual([]);
  });

  it("an update may not rename", () => {
    expect(msgs(validateObjectMetaUpdate({ ...meta, name: "y" }, meta))).toEqual(['metadata.name: Invalid value: "y": field is immutable']);
  });
});

describe("ConfigMap", () => {
  const cm = (extra: Partial<ConfigMap>): ConfigMap => ({ apiVersion: "v1", kind: "ConfigMap", metadata: meta, ...extra });
  it.each([
    ["a key with a space", cm({ data: { "a b": "x" } }), "data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"],
    ["a key in data and binaryData", cm({ data: { k: "x" }, binaryData: { k: "eA==" } }), 'data[k]: Invalid value: "k": duplicate of key present in binaryData'],
    ["more than 1 MiB", cm({ data: { k: "x".repeat(1024 * 1024 + 1) } }), ": Too long: may not be more than 1048576 bytes"],
  ])("rejects %s", (_name, obj, message) => {
    expect(msgs(validateConfigMap(obj))).toContain(message);
  });

  it.each([
    ["unsetting immutable", { immutable: false, data: { k: "v" } }, "immutable: Forbidden: field is immutable when `immutable` is set"],
    ["changing data", { immutable: true, data: { k: "w" } }, "data: Forbidden: field is immutable when `immutable` is set"],
  ])("an immutable ConfigMap forbids %s", (_name, next, message) => {
    const old = cm({ immutable: true, data: { k: "v" } });
    expect(msgs(validateConfigMapUpdate(cm(next), old))).toContain(message);
  });

  it("a mutable ConfigMap may change", () => {
    expect(validateConfigMapUpdate(cm({ data: { k: "w" } }), cm({ data: { k: "v" } }))).toEqual([]);
  });
});

describe("Secret", () => {
  const secret = (extra: Partial<Secret>): Secret => ({ apiVersion: "v1", kind: "Secret", metadata: meta, ...extra });
  it.each([
    ["dockerconfigjson without its key", secret({ type: "kubernetes.io/dockerconfigjson" }), "data[.dockerconfigjson]: Required value"],
    ["dockerconfigjson that is not JSON", secret({ type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": btoa("{") } }), "data[.dockerconfigjson]"],
    ["tls without tls.key", secret({ type: "kubernetes.io/tls", data: { "tls.crt": "eA==" } }), "data[tls.key]: Required value"],
    ["a bad key", secret({ data: { "a/b": "eA==" } }), "data[a/b]"],
  ])("rejects %s", (_name, obj, prefix) => {
    expect(msgs(validateSecret(obj)).some((m) => m.startsWith(prefix))).toBe(true);
  });

  it("accepts a dockerconfigjson given through stringData", () => {
    expect(validateSecret(secret({ type: "kubernetes.io/dockerconfigjson", stringData: { ".dockerconfigjson": '{"auths":{}}' } }))).toEqual([]);
  });

  it("the type is immutable", () => {
    expect(msgs(validateSecretUpdate(secret({ type: "kubernetes.io/tls", data: { "tls.crt": "eA==", "tls.key": "eA==" } }), secret({})))).toContain(
      'type: Invalid value: "kubernetes.io/tls": field is immutable',
    );
  });
});

describe("Namespace, Event, ControllerRevision", () => {
  it("a Namespace name is a DNS-1123 label and has no namespace", () => {
    const ns: Namespace = { apiVersion: "v1", kind: "Namespace", metadata: { name: "a.b" } };
    expect(validateNamespace(ns).map((e) => e.field)).toEqual(["metadata.name"]);
  });

  it("an Event's involved object must be in the event's namespace", () => {
    const ev: Event = { apiVersion: "v1", kind: "Event", metadata: { name: "e", namespace: "a" }, involvedObject: { kind: "Pod", name: "p", namespace: "b" } };
    expect(msgs(validateEvent(ev))).toEqual(['involvedObject.namespace: Invalid value: "b": does not match event.namespace']);
  });

  const cr: ControllerRevision = { apiVersion: "apps/v1", kind: "ControllerRevision", metadata: { name: "ds-1", namespace: "d" }, revision: 1, data: { spec: {} } };
  it.each([
    ["no data", { ...cr, data: undefined as never }, "data: Required value: data is mandatory"],
    ["a negative revision", { ...cr, revision: -1 }, "revision: Invalid value: -1: must be greater than or equal to 0"],
  ])("a ControllerRevision with %s is rejected", (_name, obj, message) => {
    expect(msgs(validateControllerRevision(obj))).toContain(message);
  });

  it("ControllerRevision data is immutable, the revision number is not", () => {
    expect(validateControllerRevisionUpdate({ ...cr, revision: 3 }, cr)).toEqual([]);
    expect(msgs(validateControllerRevisionUpdate({ ...cr, data: { spec: { x: 1 } } }, cr))).toEqual(['data: Invalid value: {"spec":{"x":1}}: field is immutable']);
  });
});
