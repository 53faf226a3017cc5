/**
 * @module
 * `POST /agent/v1/sync`, the hot path. The node's shard (node-shard.ts, picked by the node name the
 * agent sends in `X-Edgeset-Node`) holds its credential digest, lease, the digest of the last body
 * written through and its assignments version in memory. When the credential matches, the body's
 * digest is the one written through and the agent has the current version, the answer is 304: one
 * request, one shard call, no D1 query and no write anywhere (the shard renews the lease in memory).
 *
 * Otherwise D1 decides as before the shards, and the shard is told the outcome (with the answer,
 * which it counts for `/metrics`; only a failed sync costs one more shard call, to be counted). The body is
 * validated as the Kubernetes API validates what operators send (`report.ts`: counts and sizes
 * first, then schema and status rules; 422 naming the field and nothing written); then either the
 * assignments are downloaded (body unchanged) or the report is written through: load the Node, its
 * pods and the namespaces its static pods name, plan (`planNodeReport`), commit, then wake only the
 * DaemonSets of pods whose readiness or phase changed, plus those whose required pod
 * (anti-)affinity may select a pod that appeared on or left the node (finished, removed, mirror
 * pods created or deleted).
 */
import { parseReportSequence, reportSequenceHeader, sessionsHeader, type ReportSequence, type SyncRequest, type SyncResponse } from "../../protocol/agent.ts";
import { resources } from "../../resources/registry.ts";
import type { ConfigMap, Secret } from "../../resources/types.ts";
import { settingsOf } from "../../config.ts";
import { planNodeReport } from "../../controller/node-report.ts";
import { daemonSetObjectName, wakeDaemonSets, wakeDaemonSetsAndWait, wakeForNodeChange, wakeForPodChanges } from "../../controller/wake.ts";
import { existingNamespaces, readAssignments, readNodeWithPods, isStaleReport, renewLease, type NodeAgentRow } from "../../store/node-agents.ts";
import { etagOf } from "../../controller/node-shard-state.ts";
import { nodeShardOf } from "../../controller/node-shards.ts";
import { authenticateNode } from "../auth/middleware.ts";
import { commit, PreconditionFailed, type Write } from "../../store/writes.ts";
import { commitEach } from "../../controller/outbox.ts";
import { isMirrorPod, mirroredStaticPods, staticPodNamespace } from "../../controller/mirror-pods.ts";
import { exceedsBytes, reportLimits } from "../../resources/node/report-limits.ts";
import { sha256Hex } from "../auth/tokens.ts";
import { background, type AppContext } from "../context.ts";
import { ApiError } from "../errors.ts";
import { parseJsonText } from "../kube/request.ts";
import { checkSyncRequest } from "./report.ts";
import { wakeNodeLifecycle } from "./lifecycle-client.ts";

/** The longest a sync that confirmed a pod gone waits for its DaemonSet's pass (the replacement). */
const replacementWaitMs = 3_000;

export async function handleSync(c: AppContext): Promise<Response> {
  const principal = c.var.principal;
  if (principal.type !== "node") throw ApiError.forbidden("sync needs a node credential");
  const settings = settingsOf(c.env);
  const now = c.var.now;
  if (Number(c.req.header("content-length") ?? 0) > reportLimits.syncBytes) throw ApiError.tooLarge("the sync body is too large");
  const text = await c.req.text();
  if (exceedsBytes(text, reportLimits.syncBytes)) throw ApiError.tooLarge("the sync body is too large");
  const digest = await sha256Hex(text);
  const known = c.req.header("if-none-match");
  const sequenceHeader = c.req.header(reportSequenceHeader);
  const sequence = sequenceHeader === undefined ? undefined : parseReportSequence(sequenceHeader);
  if (sequenceHeader !== undefined && !sequence) throw ApiError.badRequest(`the ${reportSequenceHeader} header must be <boot>/<number> (a boot id of up to 64 letters, digits or dashes)`);

  // The fast path: the node's shard answers from memory (and renews the lease there).
  const shard = nodeShardOf(c.env, principal.nodeName);
  const answer = await shard.stub.sync(shard.index, principal.nodeName, { credentialId: principal.credential.id, secretHash: await sha256Hex(principal.credential.secret), digest, etag: known }, now);
  if (answer.kind === "unauthorized") throw ApiError.unauthorized();
  // Carried by whatever the sync answers (the 304 too): no extra read, call or write.
  if (answer.sessions) c.header(sessionsHeader, String(answer.sessions));
  if (answer.kind === "unchanged") return notModified(c, answer.etag, settings.syncIntervalSeconds);
  if (answer.kind === "download") return assignments(c, { credentialId: answer.credentialId, name: principal.nodeName }, settings.syncIntervalSeconds, known);

  // The shard does not know this state: D1 decides, as before the shards, and the shard learns it.
  try {
    return await syncThroughD1(c, shard, answer.generation, text, digest, known, sequence);
  } catch (error) {
    // Counted by the shard for /metrics; only a failed sync pays this second call.
    background(c, shard.stub.counted("error", "d1"));
    throw error;
  }
}

async function syncThroughD1(c: AppContext, shard: ReturnType<typeof nodeShardOf>, generation: number, text: string, digest: string, known: string | undefined, sequence: ReportSequence | undefined): Promise<Response> {
  const principal = c.var.principal;
  if (principal.type !== "node") throw ApiError.forbidden("sync needs a node credential");
  const interval = settingsOf(c.env).syncIntervalSeconds;
  const now = c.var.now;
  const agent = principal.agent ?? (await authenticateNode(c.var.db, principal.credential));
  if (!agent || agent.name !== principal.nodeName) throw ApiError.unauthorized();
  if (digest === agent.statusDigest && agent.ready === "True") {
    const res = await assignments(c, agent, interval, known);
    await shard.stub.remember(shard.index, agent, generation, now, { result: res.status === 304 ? "304" : "200", path: "d1" });
    return res;
  }

  const body = parseJsonText(text, "sync");
  const { request, errors } = checkSyncRequest(body);
  if (errors.length) throw ApiError.invalid(resources.Node, agent.name, errors);
  // Delivered late (a newer report of this agent process was written through) or twice: nothing
  // of it is written; the agent still gets its assignments.
  if (isStaleReport(agent, sequence)) {
    const res = await assignments(c, agent, interval, known);
    background(c, shard.stub.counted(res.status === 304 ? "304" : "200", "d1"));
    return res;
  }

  await writeThrough(c, agent, request, digest, sequence);
  const res = await assignments(c, agent, interval, known);
  await shard.stub.remember(shard.index, { ...agent, ready: "True", statusDigest: digest }, generation, now, { result: res.status === 304 ? "304" : "200", path: "write" });
  return res;
}

function notModified(c: AppContext, etag: string, interval: number): Response {
  return c.body(null, 304, { ETag: etag, "X-Sync-Interval": String(interval) });
}

async function assignments(c: AppContext, agent: Pick<NodeAgentRow, "credentialId" | "name">, interval: number, known?: string): Promise<Response> {
  const found = await readAssignments(c.var.db, agent.name);
  if (!found) throw ApiError.unauthorized();
  const etag = etagOf(agent.credentialId, found.version);
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

/** Load → plan → commit → wake: the report written through, then the controllers it concerns told. */
async function writeThrough(c: AppContext, agent: NodeAgentRow, request: SyncRequest, digest: string, sequence: ReportSequence | undefined): Promise<void> {
  const now = c.var.now;
  const mirrored = mirroredStaticPods(request.staticPods ?? []);
  const [{ node, pods }, namespaces] = await Promise.all([
    readNodeWithPods(c.var.db, agent.name),
    existingNamespaces(c.var.db, [...new Set(mirrored.map(staticPodNamespace))]),
  ]);
  if (!node) throw ApiError.unauthorized();
  const plan = planNodeReport(node, pods, request, now, () => crypto.randomUUID(), { namespaces, eventTtlMs: settingsOf(c.env).eventTtlMs });
  // Mirrors first: the lease write below then records this report as written through.
  // In their own transaction, one by one if a name is taken (a static pod named like an existing
  // pod): one bad manifest on a device must not block its sync.
  await commitEach(c.var.db, plan.mirrorWrites, now, (_write, error) => console.warn(`mirror pod write skipped: ${error.message}`));
  const lease: Write = { op: "statement", statement: renewLease(c.var.db, agent.name, { now, statusDigest: digest, sequence }, agent), mustChange: true };
  try {
    await commit(c.var.db, [...plan.writes, lease], now);
  } catch (error) {
    // The Node changed under us (an operator's edit, a delete, or the node lifecycle marking it
    // Unknown): nothing was written; the agent's next sync starts over from the fresh state.
    if (error instanceof PreconditionFailed) throw new ApiError(409, "Conflict", "the node changed during the sync; retry");
    throw error;
  }
  const { wakes } = plan;
  // A pod confirmed gone is replaced by its DaemonSet's next pass: waiting for it (bounded) lets
  // this very answer carry the replacement, so a rolling update's wave does not wait an interval.
  if (wakes.replacements?.length) {
    await wakeDaemonSetsAndWait(c.env, wakes.replacements, { nodes: [agent.name] }, replacementWaitMs).catch((error) => console.error("waiting for a replacement failed", error));
  }
  const waited = new Set((wakes.replacements ?? []).map(daemonSetObjectName));
  const others = wakes.daemonSets.filter((ref) => !waited.has(daemonSetObjectName(ref)));
  const work: Promise<unknown>[] = [wakeDaemonSets(c.env, others, { nodes: [agent.name] }), wakeForPodChanges(c.env, c.var.db, wakes.movedPods)];
  if (wakes.nodeChange) work.push(wakeForNodeChange(c.env, c.var.db, wakes.nodeChange.before, wakes.nodeChange.after));
  if (wakes.lifecycle) {
    console.log(`node ${agent.name} is Ready`);
    work.push(wakeNodeLifecycle(c.env));
  }
  background(c, Promise.all(work));
}

