/**
 * @module
 * API tokens with a role, edgeset's admin API (`/edgeset/v1/apitokens`), used by `edgeset token
 * create --role`. The token (`edgeset.<id>.<secret>`) is shown once, in the create response; only
 * its digest is stored, and the list never carries it. A token works until it expires or is
 * deleted (revoked); what each role may do is `api/authz.ts`.
 *
 * @example
 * // POST /edgeset/v1/apitokens {"role":"operator","namespaces":["default"],"ttlSeconds":86400}
 * // → 201 {"token":"edgeset.…","id":"…","role":"operator","namespaces":["default"],"expires":"…",…}
 */
import { Hono } from "hono";
import { requireAdmin } from "../auth/middleware.ts";
import { newApiToken, sha256Hex } from "../auth/tokens.ts";
import { roles, type Role } from "../authz.ts";
import type { AppEnv } from "../context.ts";
import { ApiError } from "../errors.ts";
import { readJsonBody, sendJson } from "../kube/request.ts";
import { rfc3339 } from "../../resources/meta.ts";
import { isDNS1123Label } from "../../protocol/names.ts";
import { deleteApiToken, findApiToken, insertApiToken, listApiTokens, namespacesOf, type ApiTokenRow } from "../../store/api-tokens.ts";
import { withRetry } from "../../store/db.ts";

const defaultTtlSeconds = 90 * 24 * 60 * 60;
/** Ten years: beyond it a TTL is a mistake, and `now + ttl` stays far inside the safe integers. */
const maxTtlSeconds = 10 * 365 * 24 * 60 * 60;
const maxNamespaces = 100;
const maxDescription = 256;

const describe = (row: ApiTokenRow) => ({
  id: row.id,
  user: `token:${row.id}`,
  role: row.role,
  namespaces: namespacesOf(row),
  expires: row.expiresAt ? rfc3339(row.expiresAt) : null,
  description: row.description ?? "",
  created: rfc3339(row.createdAt),
});

const invalid = (field: string, message: string) => new ApiError(400, "BadRequest", `${field}: ${message}`, { causes: [{ reason: "FieldValueInvalid", field, message }] });

interface TokenRequest {
  role: Role;
  namespaces: string[] | null;
  ttlSeconds: number;
  description: string | null;
}

/** Checks a create body; every refusal names its field. */
export function checkTokenRequest(body: unknown): TokenRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw invalid("body", "must be a JSON object");
  const b = body as Record<string, unknown>;
  if (!roles.includes(b.role as Role)) throw invalid("role", `Unsupported value: ${JSON.stringify(b.role ?? null)}: supported values: ${roles.map((r) => `"${r}"`).join(", ")}`);
  const role = b.role as Role;
  const ttl = b.ttlSeconds ?? defaultTtlSeconds;
  if (typeof ttl !== "number" || !Number.isInteger(ttl) || ttl < 0 || ttl > maxTtlSeconds) throw invalid("ttlSeconds", `must be an integer from 0 (never expires) to ${maxTtlSeconds}`);
  if (b.description !== undefined && (typeof b.description !== "string" || b.description.length > maxDescription)) throw invalid("description", `must be a string of at most ${maxDescription} characters`);
  let namespaces: string[] | null = null;
  if (role === "operator") {
    if (!Array.isArray(b.namespaces) || b.namespaces.length === 0 || b.namespaces.length > maxNamespaces) throw invalid("namespaces", `an operator token needs 1 to ${maxNamespaces} namespaces`);
    b.namespaces.forEach((n, i) => {
      const errors = typeof n === "string" ? isDNS1123Label(n) : ["must be a string"];
      if (errors.length) throw invalid(`namespaces[${i}]`, `Invalid value: ${JSON.stringify(n)}: ${errors.join("; ")}`);
    });
    namespaces = [...new Set(b.namespaces as string[])];
  } else if (b.namespaces !== undefined && b.namespaces !== null) {
    throw invalid("namespaces", `a ${role} token is not bound to namespaces; namespaces apply to operator tokens`);
  }
  return { role, namespaces, ttlSeconds: ttl, description: (b.description as string | undefined) ?? null };
}

export const apiTokenRoutes = new Hono<AppEnv>()
  .use(requireAdmin)
  .get("/", async (c) => sendJson(c, { items: (await listApiTokens(c.var.db)).map(describe) }))
  .post("/", async (c) => {
    const request = checkTokenRequest(await readJsonBody(c));
    const token = newApiToken();
    const row: ApiTokenRow = {
      id: token.id,
      secretHash: await sha256Hex(token.secret),
      role: request.role,
      namespaces: request.namespaces ? JSON.stringify(request.namespaces) : null,
      expiresAt: request.ttlSeconds === 0 ? null : c.var.now + request.ttlSeconds * 1000,
      description: request.description,
      createdAt: c.var.now,
    };
    c.set("audited", { ...c.var.audited!, name: row.id });
    await withRetry(() => insertApiToken(c.var.db, row).run());
    return sendJson(c, { token: token.token, ...describe(row) }, 201);
  })
  .delete("/:id", async (c) => {
    const id = c.req.param("id");
    if (!(await findApiToken(c.var.db, id))) throw new ApiError(404, "NotFound", `apitoken "${id}" not found`, { name: id, kind: "apitokens" });
    await withRetry(() => deleteApiToken(c.var.db, id).run());
    return c.body(null, 204);
  });
