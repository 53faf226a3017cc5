/**
 * @module
 * TypeScript declarations rendered from the schema data, so the object shapes the code reads
 * (`resources/k8s-types.ts`) and the schemas the API validates with and serves to kubectl are one
 * source. `npm run gen:types` writes the file; a unit test fails when it is stale.
 *
 * The schema describes the wire form, where nearly everything is optional. The code reads the
 * stored form: what validation and defaulting guarantee (every stored object has `apiVersion`,
 * `kind`, `metadata` and `spec`; a container has a name). `StoredForm` lists those guarantees,
 * field by field, with the reason for each; it is the only place a type differs from the schema.
 *
 * @example
 * renderTypes(allSchemas, ["io.k8s.api.core.v1.Pod"], storedForm) // "export interface Pod {…}"
 */
import type { JsonSchema, SchemaMap } from "./json-schema.ts";
import { refPrefix } from "./json-schema.ts";

/** Per schema name: fields made required in the stored form, and fields the schema does not have. */
export interface StoredForm {
  required?: Record<string, readonly string[]>;
  /** Extra fields, as TypeScript property declarations (internal fields the wire never carries). */
  extra?: Record<string, readonly string[]>;
  /** A TypeScript type used instead of the rendered one, for a named schema (a scalar). */
  replace?: Record<string, string>;
}

/** `io.k8s.api.core.v1.PodSpec` → `PodSpec`. */
export const typeNameOf = (schemaName: string): string => schemaName.slice(schemaName.lastIndexOf(".") + 1);

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const propertyKey = (key: string) => (identifier.test(key) ? key : JSON.stringify(key));

function refName(schema: JsonSchema): string | undefined {
  const only = schema.allOf?.length === 1 ? schema.allOf[0] : schema;
  return only?.$ref?.startsWith(refPrefix) ? only.$ref.slice(refPrefix.length) : undefined;
}

/** The schema names `root` refers to, itself included, in a stable order. */
export function reachableFrom(schemas: SchemaMap, roots: readonly string[]): string[] {
  const seen = new Set<string>();
  const visit = (schema: JsonSchema | undefined): void => {
    if (!schema) return;
    const name = refName(schema);
    if (name) {
      if (seen.has(name)) return;
      seen.add(name);
      visit(schemas[name]);
      return;
    }
    for (const s of Object.values(schema.properties ?? {})) visit(s);
    if (typeof schema.additionalProperties === "object") visit(schema.additionalProperties);
    visit(schema.items);
    for (const s of [...(schema.allOf ?? []), ...(schema.oneOf ?? [])]) visit(s);
  };
  for (const root of roots) visit({ $ref: refPrefix + root });
  return [...seen].sort((a, b) => typeNameOf(a).localeCompare(typeNameOf(b)));
}

/** The TypeScript type of one schema, at `indent` (object literals for inline objects). */
function typeOf(schema: JsonSchema, indent: string): string {
  const name = refName(schema);
  if (name) return typeNameOf(name);
  if (schema["x-kubernetes-int-or-string"]) return "number | string";
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (schema.oneOf) return [...new Set(schema.oneOf.map((s) => typeOf(s, indent)))].join(" | ");
  switch (schema.type) {
    case "string":
      return "string";
    case "integer":
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "array": {
      const item = schema.items ? typeOf(schema.items, indent) : "unknown";
      return item.includes(" ") && !item.startsWith("{") ? `(${item})[]` : `${item}[]`;
    }
    case "object":
    case undefined: {
      if (schema.properties) return objectType(schema, indent, [], []);
      if (typeof schema.additionalProperties === "object") return `Record<string, ${typeOf(schema.additionalProperties, indent)}>`;
      if (schema.additionalProperties === true || schema["x-kubernetes-preserve-unknown-fields"]) return schema.type === "object" ? "Record<string, unknown>" : "unknown";
      return schema.type === "object" ? "Record<string, unknown>" : "unknown";
    }
  }
}

function objectType(schema: JsonSchema, indent: string, required: readonly string[], extra: readonly string[]): string {
  const inner = `${indent}  `;
  const must = new Set([...(schema.required ?? []), ...required]);
  const lines = Object.entries(schema.properties ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, s]) => `${inner}${propertyKey(key)}${must.has(key) ? "" : "?"}: ${typeOf(s, inner)};`);
  lines.push(...extra.map((e) => `${inner}${e}`));
  return `{\n${lines.join("\n")}\n${indent}}`;
}

/** First sentence of a description, for a one-line doc comment. */
function summary(description: string | undefined): string {
  if (!description) return "";
  const first = description.split(/(?<=\.)\s/)[0]!.replace(/\*\//g, "*\\/").replace(/\s+/g, " ");
  return `/** ${first} */\n`;
}

/** The declarations for every schema reachable from `roots`, one `export` per named schema. */
export function renderTypes(schemas: SchemaMap, roots: readonly string[], stored: StoredForm): string {
  const names = reachableFrom(schemas, roots);
  const seen = new Map<string, string>();
  const out: string[] = [];
  for (const name of names) {
    const type = typeNameOf(name);
    const other = seen.get(type);
    if (other) throw new Error(`two schemas render as ${type}: ${other} and ${name}`);
    seen.set(type, name);
    const schema = schemas[name]!;
    const replaced = stored.replace?.[name];
    const body = replaced ?? (schema.properties ? objectType(schema, "", stored.required?.[name] ?? [], stored.extra?.[name] ?? []) : typeOf(schema, ""));
    const doc = summary(schema.description);
    out.push(body.startsWith("{") ? `${doc}export interface ${type} ${body}\n` : `${doc}export type ${type} = ${body};\n`);
  }
  return out.join("\n");
}
