/**
 * @module
 * The drizzle handle over D1 and the one place that knows which D1 errors are transient.
 */
import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import * as schema from "./schema.ts";

export type Db = DrizzleD1Database<typeof schema>;

export interface DbOptions {
  /** `SECRET_ENCRYPTION_KEYS`: Secrets are sealed on write and opened on read with these keys. */
  secretKeys?: string;
  /**
   * Called after a commit that changed these nodes' agent rows (assignments version, forgotten
   * report, re-key, delete): the node shards must stop answering from what they remember.
   */
  agentsChanged?: (nodeNames: string[]) => Promise<void>;
}

const options = new WeakMap<Db, DbOptions>();

export function openDb(d1: D1Database, dbOptions: DbOptions = {}): Db {
  const db = drizzle(d1, { schema, casing: "snake_case" });
  options.set(db, dbOptions);
  return db;
}

/** The options a handle was opened with (the store's own concern: e.g. the Secret keys). */
export const optionsOf = (db: Db): DbOptions => options.get(db) ?? {};

/**
 * D1 errors that mean the statement did not run and can be sent again unchanged
 * (shared/reference/cloudflare.md §1.2). Anything else is not retried.
 */
const transient = [/D1 DB is overloaded/i, /Network connection lost/i, /D1 DB reset because its code was updated/i, /storage caused object to be reset/i, /internal error; reference/i];

export const isTransientD1Error = (error: unknown): boolean =>
  error instanceof Error && transient.some((pattern) => pattern.test(error.message + String((error as { cause?: unknown }).cause ?? "")));

/** Runs `op` again on a transient D1 error, up to 3 attempts with a short back-off. Only for idempotent work. */
export async function withRetry<T>(op: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (error) {
      if (attempt >= attempts || !isTransientD1Error(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }
}
