/**
 * The cost rules of enrolment (a factory powers on thousands of devices at once): the bootstrap
 * token read, one commit (the Node is not read for a new device), the audit line, one call to the
 * node's shard, and a poke only for the DaemonSets the new node concerns, no other Durable Object.
 */
import { describe, expect, it } from "vitest";
import { daemonSet } from "../support/manifests.ts";
import { adminToken, bootstrapToken, call, countedRequest, unique } from "./helpers.ts";

const countedEnroll = (nodeName: string, token: string, labels: Record<string, string> = {}) =>
  countedRequest(
    new Request("http://edgeset.test/agent/v1/enroll", { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: JSON.stringify({ nodeName, labels }) }),
  );

describe("enrolment cost", () => {
  it("a new device: its token read, one commit, the audit line, one shard call, no other object", async () => {
    const token = await bootstrapToken();
    const enrolled = await countedEnroll(unique("cost-new"), token);
    expect(enrolled.res.status).toBe(201);
    // The token, the commit, the audit line; after the response, the DaemonSets it may concern.
    expect(enrolled.d1.roundTrips).toBe(4);
    expect(enrolled.shardCalls).toEqual(["enrolled"]);
    expect(enrolled.lifecycleCalls).toEqual([]);
    expect(enrolled.controllerCalls).toEqual([]);
  });

  it("pokes only the DaemonSets whose nodes it joins, once each", async () => {
    const role = unique("role");
    expect((await call("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet({ name: unique("cost-ds"), nodeSelector: { role } }))).status).toBe(201);
    expect((await call("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet({ name: unique("cost-other"), nodeSelector: { role: "elsewhere" } }))).status).toBe(201);
    const enrolled = await countedEnroll(unique("cost-match"), await bootstrapToken(), { role });
    expect(enrolled.res.status).toBe(201);
    expect(enrolled.controllerCalls).toEqual(["poke"]);
    expect(enrolled.shardCalls).toEqual(["enrolled"]);
  });

  it("an existing node is re-keyed: the create is refused, the Node read, the re-key committed", async () => {
    const node = unique("cost-rekey");
    expect((await countedEnroll(node, await bootstrapToken())).res.status).toBe(201);
    const again = await countedEnroll(node, adminToken);
    expect(again.res.status).toBe(200);
    expect(again.shardCalls).toEqual(["enrolled"]);
    expect(again.lifecycleCalls).toEqual([]);
    // A bootstrap token cannot take over the node while it is live.
    expect((await countedEnroll(node, await bootstrapToken())).res.status).toBe(409);
  });
});
