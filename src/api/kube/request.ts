/**
 * @module
 * Request and response plumbing shared by the REST verbs: query options, JSON bodies with the
 * apiserver's error wording, content negotiation (Table or plain JSON) and `Warning` headers.
 */
import { ApiError } from "../errors.ts";
import type { AppContext } from "../context.ts";
import { duplicateKeysInText } from "./json-duplicates.ts";
import { maxJsonDepth, tooDeepInText } from "./json-depth.ts";
import { decodeProtobufObject, protobufContentType, ProtobufError } from "./protobuf/index.ts";
import type { FieldValidation } from "./strategy.ts";

/** Kubernetes caps request bodies at 3 MiB (apiserver `MaxRequestBodyBytes`). */
export const maxBodyBytes = 3 * 1024 * 1024;

/** 413 as the apiserver words it. */
export const bodyTooLarge = () => ApiError.tooLarge(`Request entity too large: limit is ${maxBodyBytes}`);

/** The raw body, refused with 413 past 3 MiB: by its Content-Length before reading, by its bytes after. */
async function readBodyBytes(c: AppContext): Promise<Uint8Array> {
  const declared = Number(c.req.header("content-length") ?? 0);
  if (declared > maxBodyBytes) throw bodyTooLarge();
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.length > maxBodyBytes) throw bodyTooLarge();
  return bytes;
}

/**
 * Parses JSON text nested at most `maxJsonDepth` deep (checked first, without recursion: nothing
 * below walks a deeper value); 400 naming `what` otherwise. The API's bodies and the agent's.
 */
export function parseJsonText(text: string, what = "request"): unknown {
  const deep = tooDeepInText(text);
  if (deep !== undefined) throw ApiError.badRequest(`the ${what} body is nested more than ${maxJsonDepth} levels deep at ${deep}`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw ApiError.badRequest(`the ${what} body is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * The request body as JSON. Protobuf bodies (kubectl's typed clients) are decoded for the kinds
 * `protobuf/` knows; anything else that is not JSON is 415, as the apiserver answers it.
 */
export async function readJsonBody(c: AppContext): Promise<unknown> {
  const contentType = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const bytes = await readBodyBytes(c);
  if (contentType === protobufContentType) {
    try {
      return decodeProtobufObject(bytes);
    } catch (error) {
      if (error instanceof ProtobufError) throw new ApiError(415, "UnsupportedMediaType", `the body of the request was in an unknown format: ${error.message}`);
      throw error;
    }
  }
  const text = new TextDecoder().decode(bytes);
  if (!text.trim()) throw ApiError.badRequest("the request body is empty; send a JSON object");
  const body = parseJsonText(text);
  if (typeof body === "object" && body !== null) {
    const duplicates = duplicateKeysInText(text);
    if (duplicates.length > 0) duplicatesOf.set(body, duplicates);
  }
  return body;
}

/** The keys a parsed body repeated (JSON.parse kept the last of each), by the body's identity. */
const duplicatesOf = new WeakMap<object, string[]>();

/** The paths of the keys `body` (as `readJsonBody` returned it) gave twice in one object. */
export const duplicateFieldsOf = (body: unknown): readonly string[] => (typeof body === "object" && body !== null ? (duplicatesOf.get(body) ?? []) : []);

function asJsonObject(body: unknown, what: string): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw ApiError.badRequest(`${what} must be a JSON object (got ${jsonTypeOf(body)})`);
  return body as Record<string, unknown>;
}

/** A body that must be one JSON object (not null, an array or a scalar): 400 naming the body otherwise. */
export const readJsonObjectBody = async (c: AppContext, what = "the request body"): Promise<Record<string, unknown>> => asJsonObject(await readJsonBody(c), what);

/** The optional body of a DELETE: empty, or one JSON object. */
export async function readOptionalJsonObjectBody(c: AppContext, what: string): Promise<Record<string, unknown> | undefined> {
  const text = new TextDecoder().decode(await readBodyBytes(c));
  return text.trim() ? asJsonObject(parseJsonText(text), what) : undefined;
}

/** The JSON type name of a value, as error messages print it. */
export const jsonTypeOf = (value: unknown): string => (value === null ? "null" : Array.isArray(value) ? "array" : typeof value);

/**
 * An integer query parameter (`limit`, `timeoutSeconds`, `gracePeriodSeconds`: int64 in
 * Kubernetes), undefined when absent; 400 naming the parameter when it is not a decimal integer
 * within `min` and JavaScript's safe range (Kubernetes' ParseInt would also refuse `1e20`).
 */
export function queryInteger(c: AppContext, name: string, min = Number.MIN_SAFE_INTEGER): number | undefined {
  const raw = c.req.query(name);
  if (raw === undefined) return undefined;
  const value = /^[+-]?\d{1,16}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new ApiError(400, "BadRequest", `invalid value for query parameter ${name}: ${JSON.stringify(raw.slice(0, 64))}: must be an integer from ${min} to ${Number.MAX_SAFE_INTEGER}`, {
      causes: [{ reason: "FieldValueInvalid", message: `Invalid value: ${JSON.stringify(raw.slice(0, 64))}`, field: name }],
    });
  }
  return value;
}

export function fieldValidationOf(c: AppContext): FieldValidation {
  const value = c.req.query("fieldValidation");
  if (value === undefined || value === "") return "Warn";
  if (value === "Strict" || value === "Warn" || value === "Ignore") return value;
  throw ApiError.badRequest(`fieldValidation must be one of Strict, Warn, Ignore (got ${JSON.stringify(value)})`);
}

export function isDryRun(c: AppContext): boolean {
  const values = c.req.queries("dryRun") ?? [];
  for (const v of values) if (v !== "All") throw ApiError.badRequest(`unsupported dryRun value ${JSON.stringify(v)}: only All is supported`);
  return values.length > 0;
}

export const wantsTable = (c: AppContext): boolean => /as=Table/.test(c.req.header("accept") ?? "");

/** Header values are printable ASCII: anything else in a warning (a field named `ünï`) is escaped as `\uXXXX`. */
const asciiOnly = (text: string) => text.replace(/[^\x20-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** The apiserver's warning recorder limits (filters/warning.go): 4 Ki runes in all, items cut to 256 once past it. */
const maxWarningTotal = 4 * 1024;
const maxWarningItem = 256;

/** Adds `Warning: 299 - "<text>"` headers, which kubectl prints as `Warning: <text>`; duplicates once, within the limits. */
export function addWarnings(c: AppContext, warnings: readonly string[]): void {
  const unique = [...new Set(warnings)];
  const total = unique.reduce((n, w) => n + w.length, 0);
  let used = 0;
  for (const w of unique) {
    const text = total > maxWarningTotal && w.length > maxWarningItem ? w.slice(0, maxWarningItem) : w;
    if (used + text.length > maxWarningTotal) break;
    used += text.length;
    c.header("Warning", `299 - ${asciiOnly(JSON.stringify(text))}`, { append: true });
  }
}

/** JSON with the content type kubectl insists on (`application/json`). */
export function sendJson(c: AppContext, body: unknown, status = 200): Response {
  return c.newResponse(JSON.stringify(body), status as 200, { "Content-Type": "application/json" });
}

/** Rejects, warns about or drops unknown (and repeated) fields, as `fieldValidation` asks. */
export function applyFieldValidation(c: AppContext, mode: FieldValidation, unknownFields: readonly string[], kind: string, version: string, duplicateFields: readonly string[] = []): void {
  if ((unknownFields.length === 0 && duplicateFields.length === 0) || mode === "Ignore") return;
  const messages = [...duplicateFields.map((f) => `duplicate field ${JSON.stringify(f)}`), ...unknownFields.map((f) => `unknown field ${JSON.stringify(f)}`)];
  if (mode === "Strict") {
    // transformDecodeError names the bare version: `DaemonSet in version "v1" cannot be handled as a DaemonSet`.
    const bare = version.slice(version.indexOf("/") + 1);
    throw ApiError.badRequest(`${kind} in version "${bare}" cannot be handled as a ${kind}: strict decoding error: ${messages.join(", ")}`);
  }
  addWarnings(c, messages);
}
