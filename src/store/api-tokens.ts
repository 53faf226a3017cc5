/**
 * @module
 * API tokens with a role (`api_tokens`), stored as SHA-256 digests of their secrets.
 */
import { eq } from "drizzle-orm";
import { withRetry, type Db } from "./db.ts";
import { apiTokens } from "./schema.ts";

export type ApiTokenRow = typeof apiTokens.$inferSelect;

export const findApiToken = (db: Db, id: string): Promise<ApiTokenRow | undefined> => withRetry(() => db.select().from(apiTokens).where(eq(apiTokens.id, id)).get());

export const listApiTokens = (db: Db): Promise<ApiTokenRow[]> => withRetry(() => db.select().from(apiTokens).all());

export const insertApiToken = (db: Db, row: ApiTokenRow) => db.insert(apiTokens).values(row);

export const deleteApiToken = (db: Db, id: string) => db.delete(apiTokens).where(eq(apiTokens.id, id));

/** The namespaces of an operator token (stored as a JSON array); null = every namespace. */
export function namespacesOf(row: Pick<ApiTokenRow, "namespaces">): string[] | null {
  if (row.namespaces === null) return null;
  const parsed: unknown = JSON.parse(row.namespaces);
  return Array.isArray(parsed) ? parsed.filter((n): n is string => typeof n === "string") : [];
}
