/**
 * @module
 * `POST /agent/v1/enroll`: a device trades a bootstrap token for its own node credential. A new
 * name creates the Node (with the labels given, as the kubelet's `--node-labels`); an existing
 * name is re-keyed and keeps its labels, taints and pods (the API owns them after enrolment).
 */
import type { EnrollResponse } from "../../protocol/agent.ts";
import { newEvent } from "../../resources/events.ts";
import { rfc3339 } from "../../resources/meta.ts";
import { resources } from "../../resources/registry.ts";
import type { Node } from "../../resources/types.ts";
import { settingsOf } from "../../config.ts";
import { nodeUpdateFromReport, readyCondition } from "../../controller/node-status.ts";
import { wakeForNodeChange } from "../../controller/wake.ts";
import { findBootstrapToken, findNodeAgent, spendBootstrapToken, upsertNodeAgent } from "../../store/node-agents.ts";
import { getObject } from "../../store/objects.ts";
import { commit, NameTaken, PreconditionFailed, type Write } from "../../store/writes.ts";
import { constantTimeEqual, newNodeCredential, sha256Hex } from "../auth/tokens.ts";
import { background, type AppContext } from "../context.ts";
import { ApiError } from "../errors.ts";
import { readJsonBody, sendJson } from "../kube/request.ts";
import { checkEnrollRequest } from "./report.ts";
import { wakeNodeLifecycle } from "./lifecycle-client.ts";

/**
 * A bootstrap token re-keys an existing node only when that node is silent (a wiped or replaced
 * device): taking over a node that is syncing would hand its pods and Secrets to whoever holds any
 * bootstrap token. An operator can still do it with the admin token, or delete the node first.
 */
async function refuseLiveTakeover(c: AppContext, nodeName: string, now: number): Promise<void> {
  const agent = await findNodeAgent(c.var.db, nodeName);
  if (!agent || agent.ready !== "True" || now - agent.leaseRenewedAt >= settingsOf(c.env).nodeGraceMs) return;
  throw ApiError.conflict(
    resources.Node,
    nodeName,
    `the node is active (it synced ${Math.round((now - agent.leaseRenewedAt) / 1000)} s ago), and a bootstrap token cannot take over a live node; delete it first (kubectl delete node ${nodeName}) or enroll with the admin token`,
  );
}

const tokenRejected = () => new ApiError(401, "Unauthorized", "the bootstrap token is unknown, expired or used up; create a new one with `edgeset token create`");

export async function handleEnroll(c: AppContext): Promise<Response> {
  const { request, errors } = checkEnrollRequest(await readJsonBody(c));
  c.set("audited", { ...c.var.audited!, name: request.nodeName });
  if (errors.length) throw ApiError.invalid(resources.Node, request.nodeName, errors);
  const principal = c.var.principal;
  const now = c.var.now;
  const writes: Write[] = [];

  if (principal.type === "bootstrap") {
    const token = await findBootstrapToken(c.var.db, principal.tokenId);
    if (!token || !constantTimeEqual(token.secretHash, await sha256Hex(principal.secret))) throw tokenRejected();
    if ((token.expiresAt !== null && token.expiresAt <= now) || (token.usagesLeft !== null && token.usagesLeft <= 0)) throw tokenRejected();
    writes.push({ op: "statement", statement: spendBootstrapToken(c.var.db, token.id, now), mustChange: true });
  }

  const existing = await getObject<Node>(c.var.db, { kind: "Node", namespace: "", name: request.nodeName });
  if (existing && principal.type === "bootstrap") await refuseLiveTakeover(c, request.nodeName, now);
  let node: Node;
  if (existing) {
    const update = nodeUpdateFromReport(existing, request.node ?? {}, now);
    node = {
      ...existing,
      metadata: {
        ...existing.metadata,
        labels: Object.fromEntries(Object.entries({ ...existing.metadata.labels, ...update.labels }).filter(([k]) => !update.removeLabels?.includes(k))),
      },
      spec: { ...existing.spec, ...(update.taints ? { taints: update.taints } : {}) },
      status: update.status ?? existing.status,
    };
    writes.push({ op: "replace", object: node, expectedVersion: Number(existing.metadata.resourceVersion) });
  } else {
    const fresh = nodeUpdateFromReport({ apiVersion: "v1", kind: "Node", metadata: {}, spec: {} }, request.node ?? {}, now);
    node = {
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        name: request.nodeName,
        uid: crypto.randomUUID(),
        creationTimestamp: rfc3339(now),
        labels: { ...request.labels, ...fresh.labels },
      },
      spec: {},
      status: { ...fresh.status },
    };
    node.status!.conditions = [...(node.status!.conditions ?? []).filter((cond) => cond.type !== "Ready"), readyCondition("True", undefined, now)];
    writes.push({ op: "create", object: node });
    writes.push({
      op: "create",
      object: newEvent(node, { type: "Normal", reason: "RegisteredNode", message: `Node ${request.nodeName} event: Registered Node ${request.nodeName} in Controller` }, "node-controller", now, crypto.randomUUID()),
      expiresAt: now + settingsOf(c.env).eventTtlMs,
    });
  }

  const credential = newNodeCredential();
  writes.push({
    op: "statement",
    statement: upsertNodeAgent(c.var.db, {
      name: request.nodeName,
      credentialId: credential.id,
      credentialHash: await sha256Hex(credential.secret),
      leaseRenewedAt: now,
      ready: "True",
      statusDigest: "",
      podsVersion: 1,
      enrolledAt: now,
    }),
  });

  try {
    await commit(c.var.db, writes, now);
  } catch (error) {
    // The token was valid when read: a failed guard means the node changed meanwhile, or the
    // token's last use went to someone else.
    if (error instanceof PreconditionFailed || error instanceof NameTaken) {
      throw ApiError.conflict(resources.Node, request.nodeName, "the node or the bootstrap token changed while enrolling; retry");
    }
    throw error;
  }
  console.log(`node ${request.nodeName} enrolled${existing ? " (re-keyed)" : ""}`);
  background(c, Promise.all([wakeForNodeChange(c.env, c.var.db, existing, node), wakeNodeLifecycle(c.env)]));
  const body: EnrollResponse = { nodeName: request.nodeName, credential: credential.token, syncIntervalSeconds: settingsOf(c.env).syncIntervalSeconds };
  return sendJson(c, body, existing ? 200 : 201);
}
