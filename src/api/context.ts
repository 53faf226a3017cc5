/**
 * @module
 * What every handler can reach: the bindings, the drizzle handle, the caller and the clock.
 */
import type { Context } from "hono";
import type { Db } from "../store/db.ts";
import type { NodeAgentRow } from "../store/node-agents.ts";
import type { Role } from "./authz.ts";

export interface AuditedRequest {
  verb: string;
  apiGroup: string;
  resource: string;
  namespace: string;
  name: string;
}

export type Principal =
  | { type: "admin" }
  /** An API token with a role; `namespaces` is where an operator may write (null for viewers). */
  | { type: "token"; tokenId: string; role: Role; namespaces: string[] | null }
  /**
   * A node credential. `agent` is its D1 row when the credential was checked there; without it
   * (the agent named its node in `X-Edgeset-Node`) the node shard checks it, in the sync handler.
   */
  | { type: "node"; nodeName: string; agent?: NodeAgentRow; credential: { id: string; secret: string } }
  | { type: "bootstrap"; tokenId: string; secret: string };

export interface AppEnv {
  Bindings: Env;
  Variables: {
    db: Db;
    principal: Principal;
    /** What an audited request does, set by whoever authorized it; recorded after the response. */
    audited?: AuditedRequest;
    /** Request time in ms; decisions take it as a parameter. */
    now: number;
  };
}

export type AppContext = Context<AppEnv>;

/** Runs `work` after the response without failing it; errors are logged. */
export function background(c: AppContext, work: Promise<unknown>): void {
  const guarded = work.catch((error) => console.error("background work failed", error));
  try {
    c.executionCtx.waitUntil(guarded);
  } catch {
    // No execution context (direct app.fetch in tests): the promise still runs.
  }
}
