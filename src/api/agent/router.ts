/** The agent API: enrolment with a bootstrap token, and the sync loop with a node credential. */
import { Hono } from "hono";
import { requireBootstrap, requireNode, requireNodeSessions } from "../auth/middleware.ts";
import type { AppEnv } from "../context.ts";
import { handleEnroll } from "./enroll.ts";
import { handleDoorbell, handleJoinSession, handleListSessions } from "./sessions.ts";
import { handleSync } from "./sync.ts";

export const agentRoutes = new Hono<AppEnv>()
  .post("/enroll", requireBootstrap, handleEnroll)
  .post("/sync", requireNode, handleSync)
  .get("/sessions", requireNodeSessions, handleListSessions)
  .get("/sessions/doorbell", requireNodeSessions, handleDoorbell)
  .get("/sessions/:id", requireNodeSessions, handleJoinSession);
