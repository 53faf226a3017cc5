/**
 * @module
 * Bootstrap tokens, edgeset's own admin API (`/edgeset/v1/bootstraptokens`), used by
 * `edgeset token create`. The token is shown once, in the create response; only its digest is
 * stored. A token enrolls devices until it expires or its usages run out.
 */
import { Hono } from "hono";
import { requireAdmin } from "../auth/middleware.ts";
import { newBootstrapToken, sha256Hex } from "../auth/tokens.ts";
import type { AppEnv } from "../context.ts";
import { ApiError } from "../errors.ts";
import { readJsonObjectBody, sendJson } from "../kube/request.ts";
import { rfc3339 } from "../../resources/meta.ts";
import { deleteBootstrapToken, insertBootstrapToken, listBootstrapTokens, type BootstrapTokenRow } from "../../store/node-agents.ts";
import { withRetry } from "../../store/db.ts";

const tokenIdPattern = /^[a-z0-9]{6}$/;
const defaultTtlSeconds = 24 * 60 * 60;
/** Ten years: a longer lifetime is refused (kubeadm has no cap; a deadline must stay a date). */
export const maxTtlSeconds = 10 * 365 * 24 * 60 * 60;
export const maxUsages = 1_000_000;
export const maxDescriptionLength = 1024;

export interface TokenRequest {
  ttlSeconds: number;
  usages: number | null;
  description: string | null;
}

const isIntegerIn = (v: unknown, min: number, max: number): v is number => typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;

/** The create body checked field by field before anything is stored; 400 naming the field. */
export function checkTokenRequest(body: Record<string, unknown>): TokenRequest {
  const ttl = body.ttlSeconds ?? defaultTtlSeconds;
  const usages = body.usages ?? null;
  const description = body.description ?? null;
  const refuse = (field: string, message: string) => new ApiError(400, "BadRequest", `${field}: ${message}`, { causes: [{ reason: "FieldValueInvalid", message, field }] });
  if (!isIntegerIn(ttl, 0, maxTtlSeconds)) throw refuse("ttlSeconds", `must be an integer from 0 (never expires) to ${maxTtlSeconds}`);
  if (usages !== null && !isIntegerIn(usages, 1, maxUsages)) throw refuse("usages", `must be an integer from 1 to ${maxUsages}`);
  if (description !== null && (typeof description !== "string" || description.length > maxDescriptionLength)) throw refuse("description", `must be a string of at most ${maxDescriptionLength} characters`);
  return { ttlSeconds: ttl, usages, description };
}

/** A stored time as RFC 3339, or "invalid" for a value no date can show (a row from an older version). */
const timeOf = (ms: unknown): string => (typeof ms === "number" && Math.abs(ms) <= 8.64e15 ? rfc3339(ms) : "invalid");

/** What `token list` shows of a row; defensive, so no row can break the list. */
const describe = (row: BootstrapTokenRow) => ({
  id: String(row.id),
  expires: row.expiresAt === null || row.expiresAt === undefined ? null : timeOf(row.expiresAt),
  usagesLeft: typeof row.usagesLeft === "number" || row.usagesLeft === null ? row.usagesLeft : null,
  description: typeof row.description === "string" ? row.description : "",
  created: timeOf(row.createdAt),
});

export const tokenRoutes = new Hono<AppEnv>()
  .use(requireAdmin)
  .get("/", async (c) => sendJson(c, { items: (await listBootstrapTokens(c.var.db)).map(describe) }))
  .post("/", async (c) => {
    const request = checkTokenRequest(await readJsonObjectBody(c));
    const token = newBootstrapToken();
    const row: BootstrapTokenRow = {
      id: token.id,
      secretHash: await sha256Hex(token.secret),
      expiresAt: request.ttlSeconds === 0 ? null : c.var.now + request.ttlSeconds * 1000,
      usagesLeft: request.usages,
      description: request.description,
      createdAt: c.var.now,
    };
    c.set("audited", { ...c.var.audited!, name: row.id });
    await withRetry(() => insertBootstrapToken(c.var.db, row).run());
    return sendJson(c, { token: token.token, ...describe(row) }, 201);
  })
  .delete("/:id", async (c) => {
    const id = c.req.param("id");
    if (!tokenIdPattern.test(id)) throw new ApiError(400, "BadRequest", "id: must be a bootstrap token id (6 characters of a-z and 0-9)", { causes: [{ reason: "FieldValueInvalid", message: "must be a bootstrap token id", field: "id" }] });
    await deleteBootstrapToken(c.var.db, id).run();
    return c.body(null, 204);
  });
