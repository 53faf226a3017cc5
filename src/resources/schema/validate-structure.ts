/**
 * @module
 * Structural validation of a request body against the OpenAPI schemas, the way the apiserver's
 * strict decoder and structural-schema validation see it: fields the schema does not know are
 * reported (and pruned), values of the wrong JSON type are `FieldValueTypeInvalid` errors with
 * the CRD-style message. `required`, `enum` and value rules are semantic validation's job
 * (validation.go), not this module's, exactly as for built-in Kubernetes types.
 *
 * @example
 * validateStructure({ spec: { minReadySeconds: "x", foo: 1 } }, "io.k8s.api.apps.v1.DaemonSet")
 * // { unknownFields: ["spec.foo"], errors: [{ field: "spec.minReadySeconds", message: 'Invalid value: "string": spec.minReadySeconds in body must be of type integer: "string"', ... }], pruned: { spec: { minReadySeconds: "x" } } }
 */
import { child, invalid, typeInvalid, type FieldError } from "../field-errors.ts";
import { refPrefix, type JsonSchema, type SchemaMap } from "./json-schema.ts";

export interface StructureResult {
  /** Paths of fields the schema does not know, e.g. `spec.template.spec.containers[0].imagePullPolicyy`. */
  unknownFields: string[];
  /** Type and format errors. */
  errors: FieldError[];
  /** The input with unknown fields dropped (the input itself is not modified). */
  pruned: unknown;
}

interface Walk {
  schemas: SchemaMap;
  unknownFields: string[];
  errors: FieldError[];
}

/** Validates `value` against `schema`, resolving `$ref`s in `schemas`. */
export function validateAgainstSchema(value: unknown, schema: JsonSchema, schemas: SchemaMap): StructureResult {
  const walk: Walk = { schemas, unknownFields: [], errors: [] };
  const pruned = visit(walk, value, schema, "");
  return { unknownFields: walk.unknownFields, errors: walk.errors, pruned };
}

/** `$ref` and single-element `allOf` wrappers, as kube-openapi writes them, resolved to one schema. */
export function resolveSchema(schema: JsonSchema, schemas: SchemaMap): JsonSchema {
  let current = schema;
  for (let depth = 0; depth < 16; depth++) {
    if (current.$ref) {
      const target = schemas[current.$ref.slice(refPrefix.length)];
      if (!target) throw new Error(`unresolvable schema reference ${current.$ref}`);
      const { $ref: _ref, ...rest } = current;
      current = { ...target, ...rest };
    } else if (current.allOf?.length === 1) {
      const { allOf, ...rest } = current;
      current = { ...allOf[0], ...rest };
    } else {
      return current;
    }
  }
  throw new Error("schema reference cycle");
}

/** The JSON type name apimachinery prints for a value. */
function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

const matchesType = (value: unknown, type: string): boolean => {
  switch (type) {
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    case "array":
      return Array.isArray(value);
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    default:
      return typeof value === type;
  }
};

const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function typeError(walk: Walk, path: string, value: unknown, expected: string): void {
  const actual = typeName(value);
  walk.errors.push(typeInvalid(path, actual, `${path} in body must be of type ${expected}: "${actual}"`));
}

/** The range of an integer field by its OpenAPI format; int64 (and no format) is held to JavaScript's safe integers. */
const integerRanges: Record<string, readonly [number, number]> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

function checkRange(walk: Walk, value: number, format: string | undefined, path: string): void {
  const [min, max] = integerRanges[format ?? "int64"] ?? integerRanges.int64!;
  if (value > max) walk.errors.push(invalid(path, value, `${path} in body should be less than or equal to ${max}`));
  else if (value < min) walk.errors.push(invalid(path, value, `${path} in body should be greater than or equal to ${min}`));
}

/** A null where an element is due: an item of a list, a value of a map (Kubernetes would store a zero value nobody sent). */
function checkElement(walk: Walk, value: unknown, items: JsonSchema, path: string): void {
  if (value !== null) return;
  const schema = resolveSchema(items, walk.schemas);
  const expected = schema["x-kubernetes-int-or-string"] ? "integer or string" : schema.type ?? schema.oneOf?.map((s) => s.type).join(" or ");
  if (expected && !schema["x-kubernetes-preserve-unknown-fields"]) typeError(walk, path, value, expected);
}

function visit(walk: Walk, value: unknown, raw: JsonSchema, path: string): unknown {
  // Go's decoder reads null as "unset" for every field of a built-in type.
  if (value === null || value === undefined) return value;
  const schema = resolveSchema(raw, walk.schemas);
  if (schema["x-kubernetes-int-or-string"]) {
    if (!matchesType(value, "integer") && typeof value !== "string") typeError(walk, path, value, "integer or string");
    else if (typeof value === "number") checkRange(walk, value, "int32", path);
    return value;
  }
  if (schema.oneOf && !schema.type) {
    const types = schema.oneOf.map((s) => s.type).filter((t): t is NonNullable<typeof t> => !!t);
    if (!types.some((t) => matchesType(value, t))) typeError(walk, path, value, types.join(" or "));
    return value;
  }
  const opaque = schema["x-kubernetes-preserve-unknown-fields"] && !schema.properties && !schema.additionalProperties;
  if (opaque) return value;
  if (schema.type && !matchesType(value, schema.type)) {
    typeError(walk, path, value, schema.type);
    return value;
  }
  switch (schema.type) {
    case "object":
      return visitObject(walk, value as Record<string, unknown>, schema, path);
    case "array":
      if (!schema.items) return value;
      return (value as unknown[]).map((item, i) => {
        checkElement(walk, item, schema.items!, child(path, i));
        return visit(walk, item, schema.items!, child(path, i));
      });
    case "integer":
      checkRange(walk, value as number, schema.format, path);
      return value;
    case "string":
      checkFormat(walk, value as string, schema.format, path);
      return value;
    default:
      return value;
  }
}

function visitObject(walk: Walk, value: Record<string, unknown>, schema: JsonSchema, path: string): unknown {
  // Keys are data: `__proto__` is an own key like any other (fromEntries defines, never assigns).
  const out: [string, unknown][] = [];
  const extra = typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined;
  for (const [key, item] of Object.entries(value)) {
    const here = child(path, key);
    const known = schema.properties && Object.hasOwn(schema.properties, key) ? schema.properties[key] : undefined;
    if (known) {
      out.push([key, visit(walk, item, known, here)]);
    } else if (extra) {
      checkElement(walk, item, extra, mapEntryPath(path, key));
      out.push([key, visit(walk, item, extra, here)]);
    } else if (schema.additionalProperties === true || schema["x-kubernetes-preserve-unknown-fields"]) {
      out.push([key, item]);
    } else {
      walk.unknownFields.push(here);
    }
  }
  return Object.fromEntries(out);
}

/** `data[key]`, as Kubernetes names a map entry in its errors. */
const mapEntryPath = (path: string, key: string) => `${path}[${key}]`;

function checkFormat(walk: Walk, value: string, format: string | undefined, path: string): void {
  const ok = format === "date-time" ? rfc3339.test(value) : format === "byte" ? base64.test(value.replace(/\s/g, "")) : true;
  if (!ok) walk.errors.push(invalid(path, value, `${path} in body must be of type ${format}: ${JSON.stringify(value)}`));
}
