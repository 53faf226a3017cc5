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
import { readJsonBody, sendJson } from "../kube/request.ts";
import { rfc3339 } from "../../resources/meta.ts";
import { deleteBootstrapToken, insertBootstrapToken, listBootstrapTokens, type BootstrapTokenRow } from "../../store/node-agents.ts";
import { withRetry } from "../../store/db.ts";

const defaultTtlSeconds = 24 * 60 * 60;

const describe = (row: BootstrapTokenRow) => ({
  id: row.id,
  expires: row.expiresAt ? rfc3339(row.expiresAt) : null,
  usagesLeft: row.usagesLeft,
  description: row.description ?? "",
  created: rfc3339(row.createdAt),
});

export const tokenRoutes = new Hono<AppEnv>()
  .use(requireAdmin)
  .get("/", async (c) => sendJson(c, { items: (await listBootstrapTokens(c.var.db)).map(describe) }))
  .post("/", async (c) => {
    const body = (await readJsonBody(c)) as Record<string, unknown>;
    const ttl = body.ttlSeconds ?? defaultTtlSeconds;
    const usages = body.usages ?? null;
    if (typeof ttl !== "number" || !Number.isInteger(ttl) || ttl < 0) throw ApiError.badRequest("ttlSeconds must be a non-negative integer (0 = never expires)");
    if (usages !== null && (typeof usages !== "number" || !Number.isInteger(usages) || usages < 1)) throw ApiError.badRequest("usages must be a positive integer");
    if (body.description !== undefined && typeof body.description !== "string") throw ApiError.badRequest("description must be a string");
    const token = newBootstrapToken();
    const row: BootstrapTokenRow = {
      id: token.id,
      secretHash: await sha256Hex(token.secret),
      expiresAt: ttl === 0 ? null : c.var.now + ttl * 1000,
      usagesLeft: usages as number | null,
      description: (body.description as string | undefined) ?? null,
      createdAt: c.var.now,
    };
    c.set("audited", { ...c.var.audited!, name: row.id });
    await withRetry(() => insertBootstrapToken(c.var.db, row).run());
    return sendJson(c, { token: token.token, ...describe(row) }, 201);
  })
  .delete("/:id", async (c) => {
    await deleteBootstrapToken(c.var.db, c.req.param("id")).run();
    return c.body(null, 204);
  });
