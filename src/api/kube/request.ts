/**
 * @module
 * Request and response plumbing shared by the REST verbs: query options, JSON bodies with the
 * apiserver's error wording, content negotiation (Table or plain JSON) and `Warning` headers.
 */
import { ApiError } from "../errors.ts";
import type { AppContext } from "../context.ts";
import { decodeProtobufObject, protobufContentType, ProtobufError } from "./protobuf/index.ts";
import type { FieldValidation } from "./strategy.ts";

/** Kubernetes caps request bodies at 3 MiB (etcd's default object limit is 1.5 MiB). */
const maxBodyBytes = 3 * 1024 * 1024;

/**
 * The request body as JSON. Protobuf bodies (kubectl's typed clients) are decoded for the kinds
 * `protobuf/` knows; anything else that is not JSON is 415, as the apiserver answers it.
 */
export async function readJsonBody(c: AppContext): Promise<unknown> {
  const contentType = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (contentType === protobufContentType) {
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.length > maxBodyBytes) throw ApiError.tooLarge("the request body is too large");
    try {
      return decodeProtobufObject(bytes);
    } catch (error) {
      if (error instanceof ProtobufError) throw new ApiError(415, "UnsupportedMediaType", `the body of the request was in an unknown format: ${error.message}`);
      throw error;
    }
  }
  const text = await c.req.text();
  if (text.length > maxBodyBytes) throw ApiError.tooLarge("the request body is too large");
  if (!text.trim()) throw ApiError.badRequest("the request body is empty; send a JSON object");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw ApiError.badRequest(`the request body is not valid JSON: ${(error as Error).message}`);
  }
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

/** Adds `Warning: 299 - "<text>"` headers, which kubectl prints as `Warning: <text>`. */
export function addWarnings(c: AppContext, warnings: readonly string[]): void {
  for (const w of warnings) c.header("Warning", `299 - ${JSON.stringify(w)}`, { append: true });
}

/** JSON with the content type kubectl insists on (`application/json`). */
export function sendJson(c: AppContext, body: unknown, status = 200): Response {
  return c.newResponse(JSON.stringify(body), status as 200, { "Content-Type": "application/json" });
}

/** Rejects, warns about or drops unknown fields, as `fieldValidation` asks. */
export function applyFieldValidation(c: AppContext, mode: FieldValidation, unknownFields: readonly string[], kind: string, version: string): void {
  if (unknownFields.length === 0 || mode === "Ignore") return;
  const messages = unknownFields.map((f) => `unknown field ${JSON.stringify(f)}`);
  if (mode === "Strict") {
    // transformDecodeError names the bare version: `DaemonSet in version "v1" cannot be handled as a DaemonSet`.
    const bare = version.slice(version.indexOf("/") + 1);
    throw ApiError.badRequest(`${kind} in version "${bare}" cannot be handled as a ${kind}: strict decoding error: ${messages.join(", ")}`);
  }
  addWarnings(c, messages);
}
