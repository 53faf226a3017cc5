/**
 * @module
 * The bounds of operator sessions (kubectl logs through a device), and the pure decisions the
 * session bridge takes with them. Every number here is documented in docs/kubectl.md.
 */

export interface SessionLimits {
  /** Sessions waiting for or connected to one device at once. */
  perNode: number;
  /** How long an operator waits for the device to connect (it learns at its next sync). */
  connectMs: number;
  /** A session with no byte either way for this long is closed. */
  idleMs: number;
  /** Bytes one session may carry. */
  maxBytes: number;
}

/** Waits two sync intervals plus 15 s for the device (a sync may be in flight or retried once). */
export function sessionLimits(syncIntervalSeconds: number): SessionLimits {
  return { perNode: 10, connectMs: (2 * syncIntervalSeconds + 15) * 1000, idleMs: 30 * 60_000, maxBytes: 256 * 1024 * 1024 };
}

export type Admission = { ok: true } | { ok: false; code: number; reason: "TooManyRequests"; message: string };

export function admitSession(open: number, limits: SessionLimits): Admission {
  if (open < limits.perNode) return { ok: true };
  return { ok: false, code: 429, reason: "TooManyRequests", message: `the node already has ${open} open sessions (at most ${limits.perNode}); close one and retry` };
}
