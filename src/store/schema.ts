/**
 * @module
 * The D1 schema, the source of truth for `migrations/` (drizzle-kit generates them; wrangler
 * applies them, locally, in tests and in production: one ledger).
 *
 * Every Kubernetes object lives in `objects`, one row per object, its JSON in `body`; the
 * columns beside it are what queries filter on. `resource_version` comes from one counter
 * bumped in the same batch as each write, so its order is commit order: watching is reading
 * `resource_version > since` (plus `tombstones` for deletions).
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const objects = sqliteTable(
  "objects",
  {
    kind: text().notNull(),
    /** "" for cluster-scoped kinds. */
    namespace: text().notNull(),
    name: text().notNull(),
    uid: text().notNull(),
    resourceVersion: integer().notNull(),
    /** The resource version that created the row: a watch from `since` reports ADDED when it is newer. */
    createdVersion: integer().notNull(),
    /** Pods: `spec.nodeName` (the sync reads a node's pods by it). */
    nodeName: text(),
    /** The uid of the controller ownerReference, if any. */
    ownerUid: text(),
    /**
     * Pods: 1 when the pod carries required podAntiAffinity terms (a pod's affinity is immutable),
     * else null. Placement reads these pods through their index instead of every bound pod's body.
     */
    requiredAntiAffinity: integer(),
    /** Events expire; other kinds never do. Milliseconds since the epoch. */
    expiresAt: integer(),
    /** The object as JSON, without `metadata.resourceVersion` (the column is the truth). */
    body: text().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.kind, t.namespace, t.name] }),
    uniqueIndex("objects_uid").on(t.uid),
    index("objects_kind_version").on(t.kind, t.resourceVersion),
    // A node's pods in (namespace, name) order: the assignments download and `spec.nodeName=` lists.
    index("objects_node").on(t.nodeName, t.kind, t.namespace, t.name).where(sql`${t.nodeName} IS NOT NULL`),
    // A controller's own objects, and (owner_uid IS NULL) the orphans it may adopt, in name order.
    index("objects_owner").on(t.kind, t.namespace, t.ownerUid, t.name),
    index("objects_anti_affinity").on(t.requiredAntiAffinity, t.kind, t.namespace, t.name).where(sql`${t.requiredAntiAffinity} IS NOT NULL`),
    index("objects_expiry").on(t.expiresAt).where(sql`${t.expiresAt} IS NOT NULL`),
  ],
);

/** Deleted objects, kept long enough for watchers to see DELETED; older watches get 410 Expired. */
export const tombstones = sqliteTable(
  "tombstones",
  {
    resourceVersion: integer().primaryKey(),
    kind: text().notNull(),
    namespace: text().notNull(),
    name: text().notNull(),
    deletedAt: integer().notNull(),
    body: text().notNull(),
  },
  (t) => [index("tombstones_kind_version").on(t.kind, t.resourceVersion), index("tombstones_deleted").on(t.deletedAt)],
);

/** Named counters: `resourceVersion` (the global one) and `compactedVersion` (oldest watchable). */
export const counters = sqliteTable("counters", {
  name: text().primaryKey(),
  value: integer().notNull(),
});

/**
 * What the control plane keeps per enrolled device beside its Node object: the hashed credential,
 * the lease, and what the sync hot path compares without reading anything else.
 */
export const nodeAgents = sqliteTable(
  "node_agents",
  {
    name: text().primaryKey(),
    credentialId: text().notNull(),
    credentialHash: text().notNull(),
    /** Lease renewal time, ms since the epoch (written every renew interval, not every sync). */
    leaseRenewedAt: integer().notNull(),
    /** The Ready condition status the control plane last wrote: True or Unknown. */
    ready: text().notNull(),
    /** SHA-256 of the last sync body that was written through. */
    statusDigest: text().notNull(),
    /** Bumped whenever a pod bound to the node is created, deleted or changed by anyone but the agent. */
    podsVersion: integer().notNull(),
    enrolledAt: integer().notNull(),
    /** The agent process (`X-Edgeset-Report-Sequence` boot) of the last report written through. */
    reportBoot: text().notNull().default(""),
    /** Its sequence number: an older or repeated report of the same boot is not written through. */
    reportSequence: integer().notNull().default(0),
  },
  (t) => [uniqueIndex("node_agents_credential").on(t.credentialId), index("node_agents_lease").on(t.ready, t.leaseRenewedAt)],
);

/** Bootstrap tokens (`<id>.<secret>`, as kubeadm's), stored hashed; they let a device enroll. */
export const bootstrapTokens = sqliteTable("bootstrap_tokens", {
  id: text().primaryKey(),
  secretHash: text().notNull(),
  expiresAt: integer(),
  /** Enrolments left; null = unlimited until expiry. */
  usagesLeft: integer(),
  description: text(),
  createdAt: integer().notNull(),
});

/**
 * Never holds a row: a write whose precondition failed inserts NULL here, which aborts the whole
 * batch (D1 batches are transactions). See `store/writes.ts`.
 */
export const writeGuard = sqliteTable("write_guard", {
  precondition: integer().notNull(),
});

/**
 * Which ConfigMaps and Secrets the pods bound to each node reference (derived from pod specs by
 * the store on every pod write). A ConfigMap or Secret write bumps the assignments version of
 * exactly these nodes, and the sync delivers exactly these objects to each node.
 */
export const configRefs = sqliteTable(
  "config_refs",
  {
    podUid: text().notNull(),
    nodeName: text().notNull(),
    namespace: text().notNull(),
    kind: text().notNull(),
    name: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.podUid, t.kind, t.name] }), index("config_refs_target").on(t.namespace, t.kind, t.name), index("config_refs_node").on(t.nodeName)],
);

/**
 * API tokens with a role (`viewer` or `operator`) beside the admin token, stored hashed
 * (`edgeset.<id>.<secret>`; the secret is shown once). See `api/authz.ts` for what each role may do.
 */
export const apiTokens = sqliteTable("api_tokens", {
  id: text().primaryKey(),
  secretHash: text().notNull(),
  role: text().notNull(),
  /** JSON array of namespace names (operators); null = every namespace (viewers). */
  namespaces: text(),
  expiresAt: integer(),
  description: text(),
  createdAt: integer().notNull(),
});

/**
 * The audit log: every write through the API, every admin token change and every enrolment,
 * refused ones included (their HTTP code). Kept for `auditRetentionMs` (config.ts), pruned on write.
 */
export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: integer().primaryKey({ autoIncrement: true }),
    /** ms since the epoch. */
    at: integer().notNull(),
    /** `admin`, `token:<id>`, `bootstrap:<id>`, `node:<name>`, or `anonymous`. */
    user: text().notNull(),
    role: text().notNull(),
    verb: text().notNull(),
    apiGroup: text().notNull(),
    resource: text().notNull(),
    namespace: text().notNull(),
    name: text().notNull(),
    code: integer().notNull(),
  },
  (t) => [index("audit_events_at").on(t.at)],
);
