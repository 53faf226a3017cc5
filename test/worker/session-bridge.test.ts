/**
 * kubectl logs through the session bridge, inside workerd: a fake device learns of the session
 * from its sync answer, lists it, joins it with a WebSocket through the real app and answers it;
 * the operator's pods/log request reads exactly the bytes the device sent.
 */
import { describe, expect, it } from "vitest";
import { call, json } from "./helpers.ts";
import { agentCall, join, nodeWithPod, waitingOffers } from "./session-helpers.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("session bridge", () => {
  it("carries the device's frames, in order, into the operator's pods/log answer", async () => {
    const { node, credential, pod } = await nodeWithPod();
    const answer = call("GET", `/api/v1/namespaces/default/pods/${pod}/log?tailLines=2`);
    const [offer] = await waitingOffers(credential, node);
    expect(offer).toMatchObject({ kind: "log", pod, namespace: "default", log: { container: "main", tailLines: 2, follow: false } });
    const socket = await join(credential, node, offer.id);
    const acks: number[] = [];
    socket.addEventListener("message", (event) => acks.push(JSON.parse(String(event.data)).ack));
    socket.send(JSON.stringify({ status: 200 }));
    socket.send(bytes("first\n"));
    socket.send(bytes("second\n").buffer as ArrayBuffer);
    socket.send(bytes("third\n"));
    socket.close(1000, "done");
    const res = await answer;
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/plain/);
    expect(await res.text()).toBe("first\nsecond\nthird\n");
    // The session is gone: nothing waits for the node any more.
    expect((await json(await agentCall(credential, node, "sessions"))).sessions).toEqual([]);
  });

  it("a follow stream is not buffered: the first frame reaches the operator while the device still writes", async () => {
    const { node, credential, pod } = await nodeWithPod();
    const answer = call("GET", `/api/v1/namespaces/default/pods/${pod}/log?follow=true`);
    const [offer] = await waitingOffers(credential, node);
    const socket = await join(credential, node, offer.id);
    socket.send(JSON.stringify({ status: 200 }));
    socket.send(bytes("live-1\n"));
    const res = await answer;
    expect(res.status).toBe(200);
    expect(res.headers.get("ETag")).toBeNull();
    expect(res.headers.get("Content-Encoding")).toBe("identity");
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe("live-1\n");
    socket.send(bytes("live-2\n"));
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("live-2\n");
    // The operator goes away: the device's socket is closed by the bridge.
    const closed = new Promise<number>((resolve) => socket.addEventListener("close", (event) => resolve(event.code)));
    await reader.cancel();
    socket.send(bytes("after the operator left\n"));
    expect(await closed).toBeGreaterThanOrEqual(1000);
  });

  it("a device that cannot serve the session answers the operator with its status", async () => {
    const { node, credential, pod } = await nodeWithPod();
    const answer = call("GET", `/api/v1/namespaces/default/pods/${pod}/log`);
    const [offer] = await waitingOffers(credential, node);
    const socket = await join(credential, node, offer.id);
    socket.send(JSON.stringify({ status: 400, message: "previous terminated container \"main\" in pod not found" }));
    const res = await answer;
    expect(res.status).toBe(400);
    expect((await json(res)).message).toContain("previous terminated container");
  });
});

describe("who may open and join sessions", () => {
  it("pods/log is the admin's only: viewer and operator tokens and node credentials get 403, and nothing is announced", async () => {
    const { node, credential, pod } = await nodeWithPod();
    const viewer = (await json(await call("POST", "/edgeset/v1/apitokens", { role: "viewer" }))).token;
    const operator = (await json(await call("POST", "/edgeset/v1/apitokens", { role: "operator", namespaces: ["default"] }))).token;
    for (const token of [viewer, operator, credential]) {
      const res = await call("GET", `/api/v1/namespaces/default/pods/${pod}/log`, undefined, { token });
      expect(res.status).toBe(403);
      expect((await json(res)).reason).toBe("Forbidden");
    }
    expect((await json(await agentCall(credential, node, "sessions"))).sessions).toEqual([]);
  });

  it("a node credential lists and joins only its own node's sessions", async () => {
    const victim = await nodeWithPod();
    const thief = await nodeWithPod();
    const answer = call("GET", `/api/v1/namespaces/default/pods/${victim.pod}/log`);
    const [offer] = await waitingOffers(victim.credential, victim.node);
    // Naming the victim's node with the thief's credential: refused before any bridge is reached.
    expect((await agentCall(thief.credential, victim.node, "sessions")).status).toBe(401);
    expect((await agentCall(thief.credential, victim.node, `sessions/${offer.id}`, { headers: { Upgrade: "websocket" } })).status).toBe(401);
    // With its own name, the thief reaches only its own bridge, where the victim's session does not exist.
    expect((await json(await agentCall(thief.credential, thief.node, "sessions"))).sessions).toEqual([]);
    expect((await agentCall(thief.credential, thief.node, `sessions/${offer.id}`, { headers: { Upgrade: "websocket" } })).status).toBe(404);
    // The admin token is not a node credential.
    expect((await call("GET", "/agent/v1/sessions")).status).toBe(401);
    expect((await agentCall(victim.credential, victim.node, "sessions/not-a-uuid", { headers: { Upgrade: "websocket" } })).status).toBe(400);
    const socket = await join(victim.credential, victim.node, offer.id);
    socket.send(JSON.stringify({ status: 200 }));
    socket.send(bytes("for the operator only\n"));
    socket.close(1000, "done");
    expect(await (await answer).text()).toBe("for the operator only\n");
  });

  it("a session is joined once: a second join of the same id is 404", async () => {
    const { node, credential, pod } = await nodeWithPod();
    const answer = call("GET", `/api/v1/namespaces/default/pods/${pod}/log`);
    const [offer] = await waitingOffers(credential, node);
    const socket = await join(credential, node, offer.id);
    expect((await agentCall(credential, node, `sessions/${offer.id}`, { headers: { Upgrade: "websocket" } })).status).toBe(404);
    socket.send(JSON.stringify({ status: 200 }));
    socket.close(1000, "done");
    expect(await (await answer).text()).toBe("");
  });
});
