/**
 * @module
 * The Kubernetes protobuf messages kubectl's typed clients send as request bodies (`kubectl
 * create namespace|configmap|secret`, `kubectl auth can-i`), with their field numbers from the `generated.proto` files
 * of k8s.io/api and apimachinery, and their decoding into the JSON form the REST handlers take.
 * Fields not listed here are skipped, as unknown fields are.
 *
 * @example
 * decodeMessage(bytes, messages["v1/Namespace"]) // { metadata: { name: "shop" }, spec: {} }
 */
import { setKey } from "../../../resources/patch/json-value.ts";
import { rfc3339 } from "../../../resources/meta.ts";
import { readFields, type WireField } from "./wire.ts";

type Scalar = "string" | "int" | "bool" | "bytes" | "time";
type FieldType = Scalar | { message: MessageSchema } | { map: "string" | "bytes" } | { repeated: Scalar | { message: MessageSchema } };
export type MessageSchema = Record<number, [name: string, type: FieldType]>;

const decoder = new TextDecoder();
const base64 = (bytes: Uint8Array): string => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(""));

const ownerReference: MessageSchema = {
  1: ["kind", "string"],
  3: ["name", "string"],
  4: ["uid", "string"],
  5: ["apiVersion", "string"],
  6: ["controller", "bool"],
  7: ["blockOwnerDeletion", "bool"],
};

const objectMeta: MessageSchema = {
  1: ["name", "string"],
  2: ["generateName", "string"],
  3: ["namespace", "string"],
  5: ["uid", "string"],
  6: ["resourceVersion", "string"],
  7: ["generation", "int"],
  8: ["creationTimestamp", "time"],
  9: ["deletionTimestamp", "time"],
  10: ["deletionGracePeriodSeconds", "int"],
  11: ["labels", { map: "string" }],
  12: ["annotations", { map: "string" }],
  13: ["ownerReferences", { repeated: { message: ownerReference } }],
  14: ["finalizers", { repeated: "string" }],
};

const resourceAttributes: MessageSchema = {
  1: ["namespace", "string"],
  2: ["verb", "string"],
  3: ["group", "string"],
  4: ["version", "string"],
  5: ["resource", "string"],
  6: ["subresource", "string"],
  7: ["name", "string"],
};

/** Messages by `apiVersion/kind`. */
export const messages: Record<string, MessageSchema> = {
  "v1/Namespace": { 1: ["metadata", { message: objectMeta }], 2: ["spec", { message: { 1: ["finalizers", { repeated: "string" }] } }] },
  "v1/ConfigMap": { 1: ["metadata", { message: objectMeta }], 2: ["data", { map: "string" }], 3: ["binaryData", { map: "bytes" }], 4: ["immutable", "bool"] },
  "v1/Secret": {
    1: ["metadata", { message: objectMeta }],
    2: ["data", { map: "bytes" }],
    3: ["type", "string"],
    4: ["stringData", { map: "string" }],
    5: ["immutable", "bool"],
  },
  // `kubectl auth can-i`
  "authorization.k8s.io/v1/SelfSubjectAccessReview": {
    1: ["metadata", { message: objectMeta }],
    2: ["spec", { message: { 1: ["resourceAttributes", { message: resourceAttributes }], 2: ["nonResourceAttributes", { message: { 1: ["path", "string"], 2: ["verb", "string"] } }] } }],
  },
  // `kubectl auth can-i --list`
  "authorization.k8s.io/v1/SelfSubjectRulesReview": { 1: ["metadata", { message: objectMeta }], 2: ["spec", { message: { 1: ["namespace", "string"] } }] },
  // `kubectl auth whoami`
  "authentication.k8s.io/v1/SelfSubjectReview": { 1: ["metadata", { message: objectMeta }] },
};

function decodeScalar(field: WireField, type: Scalar): unknown {
  switch (type) {
    case "string":
      return decoder.decode(field.bytes ?? new Uint8Array());
    case "bytes":
      return base64(field.bytes ?? new Uint8Array());
    case "int":
      return field.value ?? 0;
    case "bool":
      return field.value !== 0;
    case "time": {
      // metav1.Time: { seconds = 1; nanos = 2 }; JSON carries whole seconds.
      const seconds = readFields(field.bytes ?? new Uint8Array()).find((f) => f.field === 1)?.value ?? 0;
      return rfc3339(seconds * 1000);
    }
  }
}

function decodeValue(field: WireField, type: Scalar | { message: MessageSchema }): unknown {
  return typeof type === "string" ? decodeScalar(field, type) : decodeMessage(field.bytes ?? new Uint8Array(), type.message);
}

export function decodeMessage(bytes: Uint8Array, schema: MessageSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of readFields(bytes)) {
    const entry = schema[field.field];
    if (!entry) continue;
    const [name, type] = entry;
    if (typeof type === "object" && "map" in type) {
      // A map entry is a message { key = 1; value = 2 }.
      const parts = readFields(field.bytes ?? new Uint8Array());
      const key = parts.find((p) => p.field === 1);
      const value = parts.find((p) => p.field === 2);
      const map = (out[name] ??= {}) as Record<string, unknown>;
      setKey(map, key ? decoder.decode(key.bytes ?? new Uint8Array()) : "", value ? decodeScalar(value, type.map) : "");
    } else if (typeof type === "object" && "repeated" in type) {
      ((out[name] ??= []) as unknown[]).push(decodeValue(field, type.repeated));
    } else {
      out[name] = decodeValue(field, type);
    }
  }
  return out;
}
