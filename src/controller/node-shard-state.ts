/**
 * @module
 * The pure decisions of a node shard (`NodeShard`): which shard a node lives in, what an incoming
 * sync gets from the shard's memory, which leases expired. No I/O, `now` is a parameter.
 *
 * @example
 * shardOf("edge-17", 4); // 0..3, the same for the same name and count, everywhere
 */

/** What the shard needs from a node's D1 agent row. */
export interface AgentState {
  name: string;
  credentialId: string;
  credentialHash: string;
  /** The Ready status the control plane last recorded: True or Unknown. */
  ready: string;
  /** SHA-256 of the last sync body written through to D1. */
  statusDigest: string;
  /** The node's assignments version (the ETag's second half). */
  podsVersion: number;
}

/** The hot state of one node, as the shard holds it in memory: its agent row and the lease. */
export interface ShardEntry extends AgentState {
  /** The lease, ms since the epoch: renewed in memory by every authenticated sync. */
  leaseRenewedAt: number;
  /**
   * False once a commit told the shard the node's D1 row changed (assignments bumped, report
   * forgotten, node deleted or re-keyed): the next sync reads D1 and `generation` guards the reload.
   */
  fresh: boolean;
  generation: number;
  /** When the entry was last loaded from D1 (a lost notification is healed after `reloadAfterMs`). */
  loadedAt: number;
}

/** The stable shard index of a node: FNV-1a (32 bit) of its UTF-8 name, modulo the shard count. */
export function shardOf(nodeName: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(nodeName)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % Math.max(1, Math.floor(shards));
}

export interface SyncInput {
  credentialId: string;
  /** SHA-256 of the credential's secret part. */
  secretHash: string;
  /** SHA-256 of the sync body. */
  digest: string;
  /** The If-None-Match the agent sent. */
  etag?: string;
}

export type SyncAnswer = (
  /** Nothing changed and the agent has the current version: 304, nothing else is read. */
  | { kind: "unchanged"; etag: string }
  /** The report is the one written through, but the agent needs its assignments downloaded. */
  | { kind: "download"; credentialId: string }
  /** The credential does not match what the shard knows (the id does, the secret does not). */
  | { kind: "unauthorized" }
  /** The shard cannot answer from memory: read D1, then `remember` with this generation. */
  | { kind: "load"; generation: number }
) & {
  /** Operator sessions waiting for this device (session-bridge.ts); absent when none. */
  sessions?: number;
};

/**
 * The assignments ETag: the node's credential id and its assignments version. The credential part
 * changes with every (re-)enrolment, so a version remembered from an earlier life of the node can
 * never match by accident.
 */
export const etagOf = (credentialId: string, version: number) => `"${credentialId}-${version}"`;

/**
 * What a sync gets from the shard's memory. Only a known credential whose report equals the one
 * written through, for a node the control plane holds Ready, is answered here (`renew` = the lease
 * is renewed in memory); anything else goes through D1, as before the shards.
 */
export function decideSync(entry: ShardEntry | undefined, input: SyncInput, now: number, reloadAfterMs: number): { answer: SyncAnswer; renew: boolean } {
  if (!entry || !entry.fresh || now - entry.loadedAt >= reloadAfterMs || entry.credentialId !== input.credentialId) {
    return { answer: { kind: "load", generation: entry?.generation ?? 0 }, renew: false };
  }
  if (entry.credentialHash !== input.secretHash) return { answer: { kind: "unauthorized" }, renew: false };
  if (entry.ready !== "True" || entry.statusDigest !== input.digest) return { answer: { kind: "load", generation: entry.generation }, renew: true };
  const etag = etagOf(entry.credentialId, entry.podsVersion);
  return { answer: input.etag === etag ? { kind: "unchanged", etag } : { kind: "download", credentialId: entry.credentialId }, renew: true };
}

/** Ready entries whose lease is older than the grace period, oldest first, at most `limit`. */
export function expiredLeases(entries: Iterable<ShardEntry>, now: number, graceMs: number, limit: number): ShardEntry[] {
  const expired = [...entries].filter((e) => e.ready === "True" && now - e.leaseRenewedAt >= graceMs);
  return expired.sort((a, b) => a.leaseRenewedAt - b.leaseRenewedAt).slice(0, limit);
}

/**
 * The lease an entry gets when the shard starts again (evicted, reset, redeployed): leases are
 * checkpointed, not written per sync, so the stored one may be older than the node's last sync. Every
 * Ready node gets a fresh grace period from the restart rather than being marked Unknown on a stale
 * checkpoint; a node that really stopped turns Unknown one grace period later.
 */
export const leaseAfterRestart = (stored: number, ready: string, now: number): number => (ready === "True" ? Math.max(stored, now) : stored);
