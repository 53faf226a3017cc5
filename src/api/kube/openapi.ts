/**
 * @module
 * `/openapi/v3` and its group-version documents, generated from the same schemas that validate
 * requests. kubectl fetches them for `--validate=strict` and `explain`; the `hash` in each
 * document's URL changes with its content, so clients never cache a stale one.
 */
import type { AppContext } from "../context.ts";
import { ApiError } from "../errors.ts";
import { openApiDocument, openApiDocumentHash, openApiRoot } from "../../resources/openapi/index.ts";
import { sendJson } from "./request.ts";

export function handleOpenApiRoot(c: AppContext): Response {
  return sendJson(c, openApiRoot());
}

export function handleOpenApiDocument(c: AppContext): Response {
  const groupVersion = new URL(c.req.url).pathname.slice("/openapi/v3/".length);
  const document = openApiDocument(groupVersion);
  if (!document) throw ApiError.noRoute();
  const etag = `"${openApiDocumentHash(groupVersion)}"`;
  if (c.req.header("if-none-match") === etag) return c.body(null, 304, { ETag: etag });
  c.header("ETag", etag);
  c.header("Cache-Control", "public, immutable");
  return sendJson(c, document);
}
