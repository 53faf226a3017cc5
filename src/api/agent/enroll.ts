/**
 * @module
 * `POST /agent/v1/enroll`: a device trades a bootstrap token for its own node credential. A new
 * name creates the Node (with the labels given, as the kubelet's `--node-labels`); an existing
 * name is re-keyed and keeps its labels, taints and pods (the API owns them after enrolment).
 */
import type { EnrollResponse } from "../../protocol/agent.ts";
import { resources } from "../../resources/registry.ts";
import type { Node } from "../../resources/types.ts";
import { settingsOf } from "../../config.ts";
import { planEnrollment } from "../../controller/node-report.ts";
import { exceedsBytes, reportLimits } from "../../resources/node/report-limits.ts";
import { wakeForNodeChange } from "../../controller/wake.ts";
import { findBootstrapToken, findNodeAgent, spendBootstrapToken, upsertNodeAgent } from "../../store/node-agents.ts";
import { getObject } from "../../store/objects.ts";
import { commit, NameTaken, PreconditionFailed, type Write } from "../../store/writes.ts";
import { constantTimeEqual, newNodeCredential, sha256Hex } from "../auth/tokens.ts";
import { background, type AppContext } from "../context.ts";
import { ApiError } from "../errors.ts";
import { parseJsonText, sendJson } from "../kube/request.ts";
import { enforceRateLimit } from "../rate-limit/index.ts";
import { checkEnrollRequest } from "./report.ts";
import { nodeShardOf } from "../../controller/node-shards.ts";

/**
 * A bootstrap token re-keys an existing node only when that node is silent (a wiped or replaced
 * device): taking over a node that is syncing would hand its pods and Secrets to whoever holds any
 * bootstrap token. An operator can still do it with the admin token, or delete the node first.
 */
async function refuseLiveTakeover(c: AppContext, nodeName: string, now: number): Promise<void> {
  // The live lease is the node shard's; D1's is the last write-through.
  const agent = (await nodeShardOf(c.env, nodeName).stub.leaseOf(nodeName)) ?? (await findNodeAgent(c.var.db, nodeName));
  if (!agent || agent.ready !== "True" || now - agent.leaseRenewedAt >= settingsOf(c.env).nodeGraceMs) return;
  throw ApiError.conflict(
    resources.Node,
    nodeName,
    `the node is active (it synced ${Math.round((now - agent.leaseRenewedAt) / 1000)} s ago), and a bootstrap token cannot take over a live node; delete it first (kubectl delete node ${nodeName}) or enroll with the admin token`,
  );
}

const tokenRejected = () => new ApiError(401, "Unauthorized", "the bootstrap token is unknown, expired or used up; create a new one with `edgeset token create`");

/**
 * The enrolment body, read only after the caller is known to hold a valid token: an
 * unauthenticated request is answered 401 without its body being read, parsed or validated.
 */
async function readEnrollBody(c: AppContext): Promise<unknown> {
  const tooLarge = () => ApiError.tooLarge(`the enrolment body is larger than ${reportLimits.enrollBytes} bytes`);
  if (Number(c.req.header("content-length") ?? 0) > reportLimits.enrollBytes) throw tooLarge();
  const text = await c.req.text();
  if (exceedsBytes(text, reportLimits.enrollBytes)) throw tooLarge();
  return parseJsonText(text, "enrolment");
}

/** A bootstrap token that is known, matches and is not spent or expired; the statement that spends one use. */
async function checkBootstrapToken(c: AppContext, tokenId: string, secret: string, now: number): Promise<Write> {
  const token = await findBootstrapToken(c.var.db, tokenId);
  if (!token || !constantTimeEqual(token.secretHash, await sha256Hex(secret))) throw tokenRejected();
  if ((token.expiresAt !== null && token.expiresAt <= now) || (token.usagesLeft !== null && token.usagesLeft <= 0)) throw tokenRejected();
  return { op: "statement", statement: spendBootstrapToken(c.var.db, token.id, now), mustChange: true };
}

/**
 * Authenticate → plan → commit → tell the shard → poke. A new device (the common case: a factory
 * powering on thousands) is planned as a create without reading anything but its token: the commit
 * fails with NameTaken if the Node exists, and only then is it read and re-keyed.
 */
export async function handleEnroll(c: AppContext): Promise<Response> {
  const principal = c.var.principal;
  const now = c.var.now;
  const spend = principal.type === "bootstrap" ? await checkBootstrapToken(c, principal.tokenId, principal.secret, now) : undefined;

  const { request, errors } = checkEnrollRequest(await readEnrollBody(c));
  c.set("audited", { ...c.var.audited!, name: request.nodeName });
  if (errors.length) throw ApiError.invalid(resources.Node, request.nodeName, errors);
  // Per device name, beside the per-address and per-token limits of requireBootstrap: each
  // enrolment re-keys the node, so a holder of a bootstrap token cannot churn one node's
  // credential (or its D1 rows) in a loop. Checked before anything is written; the admin token
  // (the break-glass) is not limited.
  if (principal.type === "bootstrap") await enforceRateLimit(c, "enrollNode", `node ${request.nodeName}`);

  const credential = newNodeCredential();
  const agent = { name: request.nodeName, credentialId: credential.id, credentialHash: await sha256Hex(credential.secret), ready: "True", statusDigest: "", podsVersion: 1, reportBoot: "", reportSequence: 0 };
  const enrolment = async (existing: Node | undefined) => {
    if (existing && principal.type === "bootstrap") await refuseLiveTakeover(c, request.nodeName, now);
    const plan = planEnrollment(existing, request, now, () => crypto.randomUUID(), settingsOf(c.env).eventTtlMs);
    const writes: Write[] = [...(spend ? [spend] : []), ...plan.writes, { op: "statement", statement: upsertNodeAgent(c.var.db, { ...agent, leaseRenewedAt: now, enrolledAt: now }) }];
    await commit(c.var.db, writes, now);
    return plan.node;
  };

  let existing: Node | undefined;
  let node: Node;
  try {
    try {
      node = await enrolment(undefined);
    } catch (error) {
      if (!(error instanceof NameTaken)) throw error;
      existing = await getObject<Node>(c.var.db, { kind: "Node", namespace: "", name: request.nodeName });
      if (!existing) throw error;
      node = await enrolment(existing);
    }
  } catch (error) {
    // The token was valid when read: a failed guard means the node changed meanwhile, or the
    // token's last use went to someone else.
    if (error instanceof PreconditionFailed || error instanceof NameTaken) {
      throw ApiError.conflict(resources.Node, request.nodeName, "the node or the bootstrap token changed while enrolling; retry");
    }
    throw error;
  }
  console.log(`node ${request.nodeName} enrolled${existing ? " (re-keyed)" : ""}`);
  // Its lease starts now, in its shard (whose alarm turns it Unknown if it never syncs): the one
  // Durable Object call of an enrolment besides the pokes of the DaemonSets it concerns.
  const shard = nodeShardOf(c.env, request.nodeName);
  await shard.stub.enrolled(shard.index, agent, now);
  background(c, wakeForNodeChange(c.env, c.var.db, existing, node));
  const body: EnrollResponse = { nodeName: request.nodeName, credential: credential.token, syncIntervalSeconds: settingsOf(c.env).syncIntervalSeconds };
  return sendJson(c, body, existing ? 200 : 201);
}
