/**
 * @module
 * `POST /agent/v1/sync`, the hot path. The credential lookup (done by `requireNode`) reads the
 * node's agent row, which also holds the lease time, the digest of the last body written
 * through and the assignments version. When the body's digest matches, the lease is fresh and the
 * agent already has the current version, the answer is 304 with no further read, no write and
 * no Durable Object call: one request, one D1 read.
 *
 * Otherwise: the lease alone is renewed (body unchanged), or the report is written through (node
 * status, pod statuses with the control plane's clock on Ready transitions, finalized pods) and
 * only the DaemonSets of pods whose readiness or phase changed are woken, plus those whose required
 * pod (anti-)affinity may select a pod that appeared on or left the node (finished, removed,
 * mirror pods created or deleted).
 */
import type { SyncResponse } from "../../protocol/agent.ts";
import { resources } from "../../resources/registry.ts";
import type { ConfigMap, Node, Pod, Secret } from "../../resources/types.ts";
import { settingsOf } from "../../config.ts";
import { nodeUpdateFromReport, podStatusFromReport, podStatusMatters } from "../../controller/node-status.ts";
import { ownerDaemonSet, wakeDaemonSets, wakeForNodeChange, wakeForPodChanges, type DaemonSetRef } from "../../controller/wake.ts";
import { podPresenceChanged, podsMovedByMirrorWrites } from "../../controller/pod-presence.ts";
import { readAssignments, readNodeWithPods, renewLease, type NodeAgentRow } from "../../store/node-agents.ts";
import { getObject } from "../../store/objects.ts";
import { commit, NameTaken, PreconditionFailed, type Write } from "../../store/writes.ts";
import { isMirrorPod, planMirrorPods } from "../../controller/mirror-pods.ts";
import { newEvent } from "../../resources/events.ts";
import { sha256Hex } from "../auth/tokens.ts";
import { background, type AppContext } from "../context.ts";
import { ApiError } from "../errors.ts";
import { sendJson } from "../kube/request.ts";
import { checkSyncRequest } from "./report.ts";
import { wakeNodeLifecycle } from "./lifecycle-client.ts";

const maxSyncBytes = 4 * 1024 * 1024;

export async function handleSync(c: AppContext): Promise<Response> {
  const principal = c.var.principal;
  if (principal.type !== "node") throw ApiError.forbidden("sync needs a node credential");
  const agent = principal.agent;
  const settings = settingsOf(c.env);
  const now = c.var.now;
  if (Number(c.req.header("content-length") ?? 0) > maxSyncBytes) throw ApiError.tooLarge("the sync body is too large");
  const text = await c.req.text();
  // UTF-8 is at most 3 bytes per UTF-16 unit: only a body near the limit needs counting.
  if (text.length * 3 > maxSyncBytes && new TextEncoder().encode(text).length > maxSyncBytes) throw ApiError.tooLarge("the sync body is too large");
  const digest = await sha256Hex(text);
  const known = c.req.header("if-none-match");
  const leaseFresh = now - agent.leaseRenewedAt < settings.leaseRenewMs;
  const reportSame = digest === agent.statusDigest && agent.ready === "True";

  if (reportSame && leaseFresh) {
    if (known === etagOf(agent, agent.podsVersion)) return notModified(c, etagOf(agent, agent.podsVersion), settings.syncIntervalSeconds);
    return assignments(c, agent, settings.syncIntervalSeconds);
  }

  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw ApiError.badRequest(`the sync body is not valid JSON: ${(error as Error).message}`);
  }
  const { request, errors } = checkSyncRequest(body);
  if (errors.length) throw ApiError.invalid(resources.Node, agent.name, errors);

  if (reportSame) {
    try {
      await commit(c.var.db, [{ op: "statement", statement: renewLease(c.var.db, agent.name, { now, statusDigest: digest }, agent), mustChange: true }], now);
    } catch (error) {
      // The node lifecycle marked the node Unknown meanwhile: the next sync writes everything through.
      if (!(error instanceof PreconditionFailed)) throw error;
    }
    if (known === etagOf(agent, agent.podsVersion)) return notModified(c, etagOf(agent, agent.podsVersion), settings.syncIntervalSeconds);
    return assignments(c, agent, settings.syncIntervalSeconds);
  }

  await writeThrough(c, agent, request, digest);
  return assignments(c, agent, settings.syncIntervalSeconds, known);
}

/**
 * The assignments ETag: the node's credential id and its assignments version. The credential part
 * changes with every (re-)enrolment, so a version remembered from an earlier life of the node (a
 * deleted and re-enrolled node, a device cloned from an image) can never match by accident.
 */
const etagOf = (agent: Pick<NodeAgentRow, "credentialId">, version: number) => `"${agent.credentialId}-${version}"`;

function notModified(c: AppContext, etag: string, interval: number): Response {
  return c.body(null, 304, { ETag: etag, "X-Sync-Interval": String(interval) });
}

async function assignments(c: AppContext, agent: NodeAgentRow, interval: number, known?: string): Promise<Response> {
  const found = await readAssignments(c.var.db, agent.name);
  if (!found) throw ApiError.unauthorized();
  const etag = etagOf(agent, found.version);
  if (known === etag) return notModified(c, etag, interval);
  // Mirror pods are the agent's own static pods: never assignments.
  const body: SyncResponse = {
    version: etag,
    pods: found.pods.filter((pod) => !isMirrorPod(pod)),
    configMaps: found.configs.filter((o): o is ConfigMap => o.kind === "ConfigMap"),
    secrets: found.configs.filter((o): o is Secret => o.kind === "Secret"),
    syncIntervalSeconds: interval,
  };
  return c.newResponse(JSON.stringify(body), 200, { "Content-Type": "application/json", ETag: etag });
}

async function writeThrough(c: AppContext, agent: NodeAgentRow, request: ReturnType<typeof checkSyncRequest>["request"], digest: string): Promise<void> {
  const now = c.var.now;
  const { node, pods } = await readNodeWithPods(c.var.db, agent.name);
  if (!node) throw ApiError.unauthorized();
  const update = nodeUpdateFromReport(node, request.node, now);
  const ref = { kind: "Node", namespace: "", name: agent.name };
  const writes: Write[] = [];
  const fields: [string[], unknown][] = [];
  if (update.status) fields.push([["status"], update.status]);
  for (const [key, value] of Object.entries(update.labels ?? {})) fields.push([["metadata", "labels", key], value]);
  if (update.taints) fields.push([["spec", "taints"], update.taints]);
  const remove = (update.removeLabels ?? []).map((key) => ["metadata", "labels", key]);
  // The taint list is written whole, so only over the version read (a concurrent `kubectl taint`
  // aborts this sync, and the next one starts from the fresh node).
  const expectedVersion = update.taints ? Number(node.metadata.resourceVersion) : undefined;
  if (fields.length || remove.length) writes.push({ op: "setFields", ref, uid: node.metadata.uid, fields, remove, expectedVersion });
  if (update.becameReady) {
    writes.push({
      op: "create",
      object: newEvent(node, { type: "Normal", reason: "NodeReady", message: `Node ${agent.name} status is now: NodeReady` }, "edgeset-agent", now, crypto.randomUUID()),
      expiresAt: now + settingsOf(c.env).eventTtlMs,
    });
  }

  const woken: DaemonSetRef[] = [];
  // Pods appearing on or leaving nodes: what other DaemonSets' pod (anti-)affinity sees.
  const moved: Pod[] = [];
  const byUid = new Map(pods.map((pod) => [pod.metadata.uid, pod]));
  for (const reported of request.pods) {
    const stored = byUid.get(reported.uid);
    if (!stored) continue; // deleted meanwhile, or not this node's
    const status = podStatusFromReport(stored, reported.status, now);
    if (!status) continue;
    writes.push({ op: "setStatus", ref: podRef(stored), uid: stored.metadata.uid, status, mustExist: false });
    const owner = ownerDaemonSet(stored);
    if (owner && podStatusMatters(stored.status, status)) woken.push(owner);
    if (podPresenceChanged(stored.status, status)) moved.push(stored);
  }
  for (const uid of request.terminated ?? []) {
    const stored = byUid.get(uid);
    if (!stored?.metadata.deletionTimestamp) continue;
    writes.push({ op: "delete", ref: podRef(stored), uid, mustExist: false });
    const owner = ownerDaemonSet(stored);
    if (owner) woken.push(owner);
    moved.push(stored);
  }
  const reportedStatic = request.staticPods ?? [];
  const namespaces = reportedStatic.length ? await existingNamespaces(c, reportedStatic) : new Set<string>();
  const mirrors = planMirrorPods(node, pods, reportedStatic, now, () => crypto.randomUUID(), namespaces);
  moved.push(...podsMovedByMirrorWrites(pods, mirrors.writes));
  for (const reason of mirrors.rejected) {
    writes.push({ op: "create", object: newEvent(node, { type: "Warning", reason: "FailedMirrorPod", message: reason }, "edgeset-agent", now, crypto.randomUUID()), expiresAt: now + settingsOf(c.env).eventTtlMs });
  }
  // Mirrors first: the lease write below then records this report as written through.
  await commitMirrorWrites(c, mirrors.writes);
  writes.push({ op: "statement", statement: renewLease(c.var.db, agent.name, { now, statusDigest: digest }, agent), mustChange: true });
  try {
    await commit(c.var.db, writes, now);
  } catch (error) {
    // The Node changed under us (deleted by an operator, or marked Unknown by the node lifecycle):
    // nothing was written; the agent's next sync starts over from the fresh state.
    if (error instanceof PreconditionFailed) throw new ApiError(409, "Conflict", "the node changed during the sync; retry");
    throw error;
  }
  const after: Node = {
    ...node,
    metadata: { ...node.metadata, labels: withoutKeys({ ...node.metadata.labels, ...update.labels }, update.removeLabels) },
    spec: { ...node.spec, ...(update.taints ? { taints: update.taints } : {}) },
    status: update.status ?? node.status,
  };
  const work: Promise<unknown>[] = [wakeDaemonSets(c.env, woken), wakeForPodChanges(c.env, c.var.db, moved)];
  if (update.becameReady || update.taints || update.labels || update.removeLabels) work.push(wakeForNodeChange(c.env, c.var.db, node, after));
  if (update.becameReady) {
    console.log(`node ${agent.name} is Ready`);
    work.push(wakeNodeLifecycle(c.env));
  }
  background(c, Promise.all(work));
}

/**
 * Mirror pods go in their own transaction, one by one if a name is taken (a static pod named like
 * an existing pod): one bad manifest on a device must not block its sync.
 */
async function commitMirrorWrites(c: AppContext, writes: Write[]): Promise<void> {
  if (writes.length === 0) return;
  try {
    await commit(c.var.db, writes, c.var.now);
  } catch (error) {
    if (!(error instanceof NameTaken || error instanceof PreconditionFailed)) throw error;
    for (const write of writes) {
      await commit(c.var.db, [write], c.var.now).catch((e) => {
        if (!(e instanceof NameTaken || e instanceof PreconditionFailed)) throw e;
        console.warn(`mirror pod write skipped: ${(e as Error).message}`);
      });
    }
  }
}

const withoutKeys = (labels: Record<string, string>, keys: string[] = []) => Object.fromEntries(Object.entries(labels).filter(([k]) => !keys.includes(k)));

/** Which of the namespaces the static pods name exist (only on the write-through path, rarely). */
async function existingNamespaces(c: AppContext, staticPods: readonly Pod[]): Promise<Set<string>> {
  const wanted = new Set(staticPods.map((p) => (typeof p?.metadata?.namespace === "string" && p.metadata.namespace) || "default"));
  const found = await Promise.all([...wanted].map(async (ns) => ((await getObject(c.var.db, { kind: "Namespace", namespace: "", name: ns })) ? ns : undefined)));
  return new Set(found.filter((ns): ns is string => !!ns));
}

const podRef = (pod: Pod) => ({ kind: "Pod", namespace: pod.metadata.namespace ?? "", name: pod.metadata.name ?? "" });
