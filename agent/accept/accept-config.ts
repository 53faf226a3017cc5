/**
 * @module
 * The ConfigMap and Secret check at the agent's boundary. An object without a usable name is
 * skipped; a key Kubernetes would not allow (IsConfigMapKey: `[-._a-zA-Z0-9]+`, at most 253
 * characters, not `.`, `..` or starting with `..`) or a value of the wrong type (`data` strings,
 * `binaryData` and Secret `data` base64) is left out of the copy. Either way the problem is
 * returned, naming the object and the key, for the caller to log; the rest of the object is used.
 * Keys are data: `__proto__` is a key like any other.
 *
 * @example
 * acceptConfigMap({ metadata: { name: "app" }, data: { a: null, b: "x" } })
 * // { configMap: { metadata: { name: "app" }, data: { b: "x" } }, problems: ["ConfigMap default/app: data[a]: Invalid value: null: must be a string"] }
 */
import type { ConfigMap, Secret } from "../../src/resources/types.ts";
import { isConfigMapKey, isDNS1123Label, isDNS1123Subdomain } from "../../src/protocol/names.ts";
import { isObject, setOwn } from "./json-copy.ts";

const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** IsConfigMapKey (also the rule for Secret keys); the first reason, or undefined. */
export const configKeyProblem = (key: string): string | undefined => isConfigMapKey(key)[0];

type Check = (value: unknown) => string | undefined;
const isString: Check = (v) => (typeof v === "string" ? undefined : "must be a string");
const isBase64: Check = (v) => (typeof v === "string" && base64Pattern.test(v) ? undefined : "must be a base64 string");

function copyMap(raw: unknown, field: string, check: Check, problems: string[], reveal: boolean): Record<string, string> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isObject(raw)) {
    problems.push(`${field}: Invalid value: must be a map of strings`);
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const key of Object.keys(raw)) {
    const value = raw[key];
    const problem = configKeyProblem(key) ?? check(value);
    const primitive = value === null || typeof value !== "object";
    const shown = (reveal || value === null) && primitive ? `${JSON.stringify(value) ?? "undefined"}`.slice(0, 80) : Array.isArray(value) ? "array" : typeof value;
    if (problem) problems.push(`${field}[${key.slice(0, 253)}]: Invalid value: ${shown}: ${problem}`);
    else setOwn(out, key, value);
  }
  return out;
}

function metadataOf(raw: unknown, kind: string): { metadata: { name: string; namespace: string }; label: string } | { problem: string } {
  const meta = isObject(raw) && isObject(raw.metadata) ? raw.metadata : undefined;
  const name = meta?.name;
  const namespace = meta?.namespace === undefined || meta.namespace === "" ? "default" : meta.namespace;
  if (typeof name !== "string" || name === "" || isDNS1123Subdomain(name).length > 0) return { problem: `${kind}: metadata.name: Invalid value: ${JSON.stringify(name) ?? "undefined"}` };
  if (typeof namespace !== "string" || isDNS1123Label(namespace).length > 0) return { problem: `${kind} ${name}: metadata.namespace: Invalid value: ${JSON.stringify(namespace)}` };
  return { metadata: { name, namespace }, label: `${kind} ${namespace}/${name}` };
}

export function acceptConfigMap(raw: unknown): { configMap?: ConfigMap; problems: string[] } {
  const meta = metadataOf(raw, "ConfigMap");
  if ("problem" in meta) return { problems: [`${meta.problem}: skipped`] };
  const problems: string[] = [];
  const object = raw as Record<string, unknown>;
  const data = copyMap(object.data, "data", isString, problems, true);
  const binaryData = copyMap(object.binaryData, "binaryData", isBase64, problems, true);
  const configMap: ConfigMap = { apiVersion: "v1", kind: "ConfigMap", metadata: meta.metadata, ...(data ? { data } : {}), ...(binaryData ? { binaryData } : {}) };
  return { configMap, problems: problems.map((p) => `${meta.label}: ${p}`) };
}

export function acceptSecret(raw: unknown): { secret?: Secret; problems: string[] } {
  const meta = metadataOf(raw, "Secret");
  if ("problem" in meta) return { problems: [`${meta.problem}: skipped`] };
  const problems: string[] = [];
  const object = raw as Record<string, unknown>;
  const data = copyMap(object.data, "data", isBase64, problems, false);
  const type = typeof object.type === "string" ? object.type : undefined;
  const secret: Secret = { apiVersion: "v1", kind: "Secret", metadata: meta.metadata, ...(type ? { type } : {}), ...(data ? { data } : {}) };
  // A Secret's values never reach a log line: only their keys and types.
  return { secret, problems: problems.map((p) => `${meta.label}: ${p}`) };
}

/** Every element of a list that passes; the problems of the others. */
export function acceptList<T>(raw: unknown, field: string, accept: (item: unknown) => { problems: string[] } & Partial<Record<"configMap" | "secret", T>>): { items: T[]; problems: string[] } {
  if (raw === undefined || raw === null) return { items: [], problems: [] };
  if (!Array.isArray(raw)) return { items: [], problems: [`${field}: Invalid value: must be a list`] };
  const items: T[] = [];
  const problems: string[] = [];
  for (const element of raw) {
    const result = accept(element);
    problems.push(...result.problems);
    const item = result.configMap ?? result.secret;
    if (item) items.push(item);
  }
  return { items, problems };
}
