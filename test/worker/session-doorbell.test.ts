/**
 * The session doorbell (opt-in, the agent's `--session-doorbell`): a device keeps a hibernatable
 * WebSocket open to its node's session bridge, which rings it the moment an operator's session
 * is recorded, so the device joins at once instead of at its next sync. Only the node's own
 * credential opens it; the keep-alive `ping` is answered `pong`.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { waitFor } from "../support/wait.ts";
import { adminToken, call, enroll, unique } from "./helpers.ts";

function doorbell(node: string, credential: string, headers: Record<string, string> = {}): Promise<Response> {
  return exports.default.fetch(new Request("http://edgeset.test/agent/v1/sessions/doorbell", { headers: { Authorization: `Bearer ${credential}`, "X-Edgeset-Node": node, Upgrade: "websocket", ...headers } }));
}

function messagesOf(socket: WebSocket): string[] {
  const got: string[] = [];
  socket.addEventListener("message", (event) => got.push(String(event.data)));
  socket.accept();
  return got;
}

async function podOn(node: string): Promise<string> {
  const pod = unique("p");
  const res = await call("POST", "/api/v1/namespaces/default/pods", { metadata: { name: pod }, spec: { nodeName: node, containers: [{ name: "main", image: "busybox:1.36" }] } });
  expect(res.status).toBe(201);
  return pod;
}

describe("the session doorbell", () => {
  it("rings the node's open doorbell when a session for it is recorded, and answers ping with pong", async () => {
    const node = unique("bell-node");
    const credential = await enroll(node);
    const pod = await podOn(node);
    const res = await doorbell(node, credential);
    expect(res.status).toBe(101);
    const socket = res.webSocket!;
    const got = messagesOf(socket);
    socket.send("ping");
    await waitFor("pong", () => got.includes("pong"));

    const controller = new AbortController();
    const log = exports.default.fetch(new Request(`http://edgeset.test/api/v1/namespaces/default/pods/${pod}/log`, { headers: { Authorization: `Bearer ${adminToken}` }, signal: controller.signal }));
    await waitFor("the ring", () => got.includes("ring"));
    controller.abort();
    await log.catch(() => undefined);
    socket.close(1000, "done");
  });

  it("does not ring another node's doorbell", async () => {
    const [a, b] = [unique("bell-a"), unique("bell-b")];
    const [credA, credB] = [await enroll(a), await enroll(b)];
    const pod = await podOn(a);
    const bellB = (await doorbell(b, credB)).webSocket!;
    const gotB = messagesOf(bellB);
    const bellA = (await doorbell(a, credA)).webSocket!;
    const gotA = messagesOf(bellA);
    const controller = new AbortController();
    const log = exports.default.fetch(new Request(`http://edgeset.test/api/v1/namespaces/default/pods/${pod}/log`, { headers: { Authorization: `Bearer ${adminToken}` }, signal: controller.signal }));
    await waitFor("a's ring", () => gotA.includes("ring"));
    bellB.send("ping");
    await waitFor("b's pong", () => gotB.includes("pong"));
    expect(gotB).toEqual(["pong"]);
    controller.abort();
    await log.catch(() => undefined);
  });

  it("is opened only by the node's own credential, with a WebSocket upgrade", async () => {
    const [a, b] = [unique("bell-a"), unique("bell-b")];
    const credA = await enroll(a);
    await enroll(b);
    expect((await doorbell(b, credA)).status).toBe(401);
    expect((await doorbell(a, adminToken)).status).toBe(401);
    expect((await doorbell(a, credA, { Upgrade: "" })).status).toBe(426);
  });
});
