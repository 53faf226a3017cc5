/**
 * Helpers for the session tests: a node with a pod, and a fake device that learns of sessions
 * from its sync answer, lists them and joins one with a WebSocket, as the agent does.
 */
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { waitFor } from "../support/wait.ts";
import { call, daemonSetManifest, enroll, json, unique } from "./helpers.ts";

/** A node with one DaemonSet pod bound to it. */
export async function nodeWithPod(): Promise<{ node: string; credential: string; pod: string }> {
  const node = unique("sb");
  const credential = await enroll(node, { site: node });
  const ds = unique("sbds");
  await call("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSetManifest(ds, { nodeSelector: { site: node } }));
  await env.DAEMONSET_CONTROLLER.getByName(`default/${ds}`).reconcileNow({ namespace: "default", name: ds });
  const pods = await json(await call("GET", `/api/v1/namespaces/default/pods?labelSelector=app%3D${ds}`));
  return { node, credential, pod: pods.items[0].metadata.name };
}

const agentHeaders = (credential: string, node: string) => ({ Authorization: `Bearer ${credential}`, "X-Edgeset-Node": node });

export const agentCall = (credential: string, node: string, path: string, init: RequestInit = {}) =>
  exports.default.fetch(new Request(`http://edgeset.test/agent/v1/${path}`, { ...init, headers: { ...agentHeaders(credential, node), ...(init.headers as Record<string, string>) } }));

/** What the device learns: the waiting count from its sync, then the offers. */
export async function waitingOffers(credential: string, node: string): Promise<any[]> {
  return waitFor("a session announced in the sync answer", async () => {
    const res = await agentCall(credential, node, "sync", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ node: {}, pods: [] }) });
    await res.body?.cancel();
    if (!res.headers.get("X-Edgeset-Sessions")) return undefined;
    const listed = await agentCall(credential, node, "sessions");
    expect(listed.status).toBe(200);
    const offers = (await json(listed)).sessions;
    return offers.length ? offers : undefined;
  });
}

/** Joins a session as the agent does; the socket is accepted. */
export async function join(credential: string, node: string, id: string): Promise<WebSocket> {
  const res = await agentCall(credential, node, `sessions/${id}`, { headers: { Upgrade: "websocket" } });
  expect(res.status).toBe(101);
  const socket = res.webSocket!;
  socket.accept();
  return socket;
}

