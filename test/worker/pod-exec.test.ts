/**
 * kubectl exec, attach and port-forward through the session bridge, with a fake device socket: the
 * request is validated (400 naming the field), SPDY is refused at once, only the admin may
 * connect, and a WebSocket session is relayed both ways until the device's exit Status and close.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Channel, encodeFrame, exitStatus } from "../../src/protocol/remote-command.ts";
import { waitFor } from "../support/wait.ts";
import { adminToken, call, enroll, json, unique } from "./helpers.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: ArrayBuffer | Uint8Array) => new TextDecoder().decode(data);

async function podOnNode(containers = ["main"]): Promise<{ node: string; credential: string; pod: string }> {
  const node = unique("exec-node");
  const credential = await enroll(node);
  const pod = unique("p");
  const res = await call("POST", "/api/v1/namespaces/default/pods", { metadata: { name: pod }, spec: { nodeName: node, containers: containers.map((name) => ({ name, image: "busybox:1.36" })) } });
  expect(res.status).toBe(201);
  return { node, credential, pod };
}

const execPath = (pod: string, query = "command=sh&command=-c&command=echo%20hi&stdin=true&stdout=true&stderr=true") => `/api/v1/namespaces/default/pods/${pod}/exec?${query}`;

/** kubectl's side: a WebSocket upgrade to the Worker (answered once the device joined). */
function kubectlSocket(path: string, protocol = "v5.channel.k8s.io", token = adminToken): Promise<Response> {
  return exports.default.fetch(new Request(`http://edgeset.test${path}`, { headers: { Authorization: `Bearer ${token}`, Upgrade: "websocket", "Sec-WebSocket-Protocol": protocol } }));
}

/** Everything a socket receives, in order, and whether it closed; `until` waits for a condition on it. */
function record(socket: WebSocket) {
  const waiters: (() => void)[] = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  const got = {
    messages: [] as (string | ArrayBuffer)[],
    closed: undefined as number | undefined,
    async until<T>(what: string, check: () => T): Promise<NonNullable<T>> {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const value = check();
        if (value) return value as NonNullable<T>;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 500);
        });
      }
    },
  };
  socket.addEventListener("message", (event) => {
    got.messages.push(event.data as string | ArrayBuffer);
    wake();
  });
  socket.addEventListener("close", (event) => {
    got.closed = event.code;
    wake();
  });
  socket.binaryType = "arraybuffer";
  socket.accept();
  return got;
}

/** The device's side: it lists the waiting sessions and joins one. */
async function joinAsDevice(node: string, credential: string, hello = { status: 200 }) {
  const offers = await waitFor("the session offer", async () => {
    const listed = await json(await call("GET", "/agent/v1/sessions", undefined, { token: credential, headers: { "X-Edgeset-Node": node } }));
    return listed.sessions?.length ? listed.sessions : undefined;
  });
  const res = await exports.default.fetch(new Request(`http://edgeset.test/agent/v1/sessions/${offers[0].id}`, { headers: { Authorization: `Bearer ${credential}`, "X-Edgeset-Node": node, Upgrade: "websocket" } }));
  expect(res.status).toBe(101);
  const socket = res.webSocket!;
  const got = record(socket);
  socket.send(JSON.stringify(hello));
  return { offer: offers[0], socket, got };
}

describe("pods/exec and pods/portforward requests", () => {
  it.each([
    ["no command", "stdout=true", "command"],
    ["a flag that is not a boolean", "command=ls&stdout=maybe", "stdout"],
    ["a terminal with stderr", "command=sh&stdin=true&stdout=true&stderr=true&tty=true", "stderr"],
    ["no stream at all", "command=ls", "stdout"],
  ])("refuses %s with a 400 naming the field", async (_name, query, field) => {
    const { pod } = await podOnNode();
    const res = await kubectlSocket(execPath(pod, query));
    expect(res.status).toBe(400);
    const status = await json(res);
    expect(status).toMatchObject({ kind: "Status", status: "Failure", reason: "BadRequest", code: 400 });
    expect(status.details.causes[0].field).toBe(field);
  });

  it("refuses a container the pod does not have, and a pod that does not exist", async () => {
    const { pod } = await podOnNode(["a", "b"]);
    expect((await kubectlSocket(execPath(pod, "command=ls&stdout=true"))).status).toBe(400);
    const wrong = await kubectlSocket(execPath(pod, "command=ls&stdout=true&container=c"));
    expect(wrong.status).toBe(400);
    expect((await json(wrong)).message).toContain("container c is not valid");
    expect((await kubectlSocket(execPath(unique("missing")))).status).toBe(404);
  });

  it("answers a SPDY upgrade at once with a 400 that says WebSockets are needed", async () => {
    const { pod } = await podOnNode();
    for (const path of [execPath(pod), `/api/v1/namespaces/default/pods/${pod}/portforward`]) {
      const res = await call("POST", path, undefined, { headers: { Connection: "Upgrade", Upgrade: "SPDY/3.1", "X-Stream-Protocol-Version": "v4.channel.k8s.io" } });
      expect(res.status).toBe(400);
      expect((await json(res)).message).toContain("over WebSockets only");
    }
  });

  it("answers a WebSocket that offers no known subprotocol with a 400", async () => {
    const { pod } = await podOnNode();
    expect((await kubectlSocket(execPath(pod), "v1.channel.k8s.io")).status).toBe(400);
    expect((await kubectlSocket(`/api/v1/namespaces/default/pods/${pod}/portforward`, "portforward.k8s.io")).status).toBe(400);
  });

  it("lets only the admin exec or port-forward", async () => {
    const { pod } = await podOnNode();
    const created = await json(await call("POST", "/edgeset/v1/apitokens", { role: "viewer", description: "exec test" }));
    const res = await kubectlSocket(execPath(pod), "v5.channel.k8s.io", created.token);
    expect(res.status).toBe(403);
    expect((await kubectlSocket(`/api/v1/namespaces/default/pods/${pod}/portforward`, "SPDY/3.1+portforward.k8s.io", created.token)).status).toBe(403);
  });
});

describe("pods/attach", () => {
  const attachPath = (pod: string, query: string) => `/api/v1/namespaces/default/pods/${pod}/attach?${query}`;

  it.each([
    ["stdin (-i)", "stdin=true&stdout=true&stderr=true", "stdin"],
    ["a terminal (-t)", "stdin=true&stdout=true&tty=true", "tty"],
    ["no stream at all", "container=main", "stdout"],
    ["a flag that is not a boolean", "stdout=yes", "stdout"],
  ])("refuses %s with a 400 naming the field", async (_name, query, field) => {
    const { pod } = await podOnNode();
    const res = await kubectlSocket(attachPath(pod, query));
    expect(res.status).toBe(400);
    const status = await json(res);
    expect(status).toMatchObject({ kind: "Status", reason: "BadRequest", code: 400 });
    expect(status.details.causes[0].field).toBe(field);
    if (field === "stdin" || field === "tty") expect(status.message).toContain("use kubectl exec -it");
  });

  it("offers the device an attach session with no command, relayed as an exec is", async () => {
    const { node, credential, pod } = await podOnNode();
    const answer = kubectlSocket(attachPath(pod, "container=main&stdout=true&stderr=true"));
    const device = await joinAsDevice(node, credential);
    expect(device.offer).toMatchObject({ kind: "attach", pod, exec: { container: "main", command: [], stdin: false, stdout: true, stderr: true, tty: false } });
    const res = await answer;
    expect(res.status).toBe(101);
    const kubectl = record(res.webSocket!);
    device.socket.send(encodeFrame(Channel.stdout, bytes("a line\n")));
    device.socket.send(encodeFrame(Channel.error, bytes(JSON.stringify(exitStatus(0)))));
    device.socket.close(1000, "done");
    await kubectl.until("kubectl's socket to close", () => kubectl.closed !== undefined);
    expect(kubectl.messages.map((m) => new Uint8Array(m as ArrayBuffer)[0])).toEqual([Channel.stdout, Channel.error]);
  });

  it("lets only the admin attach", async () => {
    const { pod } = await podOnNode();
    const created = await json(await call("POST", "/edgeset/v1/apitokens", { role: "viewer", description: "attach test" }));
    expect((await kubectlSocket(attachPath(pod, "stdout=true"), "v5.channel.k8s.io", created.token)).status).toBe(403);
  });
});

describe("an exec session through the bridge", () => {
  it("relays stdin to the device and its output and exit Status back, then closes normally", async () => {
    const { node, credential, pod } = await podOnNode();
    const answer = kubectlSocket(execPath(pod, "command=cat&stdin=true&stdout=true&stderr=true"));
    const device = await joinAsDevice(node, credential);
    expect(device.offer).toMatchObject({ kind: "exec", pod, exec: { container: "main", command: ["cat"], stdin: true, stdout: true, stderr: true, tty: false, protocol: "v5.channel.k8s.io" } });
    const res = await answer;
    expect(res.status).toBe(101);
    expect(res.headers.get("Sec-WebSocket-Protocol")).toBe("v5.channel.k8s.io");
    const kubectl = record(res.webSocket!);

    kubectl.messages.length = 0;
    res.webSocket!.send(encodeFrame(Channel.stdin, bytes("hello\n")));
    const stdin = await device.got.until("stdin at the device", () => device.got.messages.find((m) => typeof m !== "string"));
    expect(new Uint8Array(stdin as ArrayBuffer)).toEqual(encodeFrame(Channel.stdin, bytes("hello\n")));

    device.socket.send(encodeFrame(Channel.stdout, bytes("hello\n")));
    device.socket.send(encodeFrame(Channel.error, bytes(JSON.stringify(exitStatus(3)))));
    device.socket.close(1000, "done");
    await kubectl.until("kubectl's socket to close", () => kubectl.closed !== undefined);
    const frames = kubectl.messages.map((m) => new Uint8Array(m as ArrayBuffer));
    expect(frames.map((f) => f[0])).toEqual([Channel.stdout, Channel.error]);
    expect(text(frames[0]!.subarray(1))).toBe("hello\n");
    expect(JSON.parse(text(frames[1]!.subarray(1)))).toMatchObject({ status: "Failure", reason: "NonZeroExitCode", details: { causes: [{ reason: "ExitCode", message: "3" }] } });
    expect(kubectl.closed).toBe(1000);
    // Each message passed on is acknowledged to the device (its send window).
    await device.got.until("two acks", () => device.got.messages.filter((m) => typeof m === "string").length === 2);
  });

  it("tells kubectl on the error channel when the device refuses the session", async () => {
    const { node, credential, pod } = await podOnNode();
    const answer = kubectlSocket(execPath(pod));
    await joinAsDevice(node, credential, { status: 404, message: 'container "main" is not running' } as { status: number });
    const res = await answer;
    expect(res.status).toBe(101);
    const kubectl = record(res.webSocket!);
    await kubectl.until("kubectl's socket to close", () => kubectl.closed !== undefined);
    const frame = new Uint8Array(kubectl.messages[0] as ArrayBuffer);
    expect(frame[0]).toBe(Channel.error);
    expect(JSON.parse(text(frame.subarray(1)))).toMatchObject({ status: "Failure", message: 'container "main" is not running' });
  });

  it("closes the device's socket when kubectl goes away", async () => {
    const { node, credential, pod } = await podOnNode();
    const answer = kubectlSocket(execPath(pod));
    const device = await joinAsDevice(node, credential);
    const res = await answer;
    record(res.webSocket!);
    res.webSocket!.close(1000, "bye");
    await device.got.until("the device's socket to close", () => device.got.closed !== undefined);
  });

  it("relays a port-forward socket's bytes untouched, with the tunnelling subprotocol", async () => {
    const { node, credential, pod } = await podOnNode();
    const answer = kubectlSocket(`/api/v1/namespaces/default/pods/${pod}/portforward`, "SPDY/3.1+portforward.k8s.io");
    const device = await joinAsDevice(node, credential);
    expect(device.offer).toMatchObject({ kind: "portforward", portForward: { protocol: "SPDY/3.1+portforward.k8s.io" } });
    const res = await answer;
    expect(res.headers.get("Sec-WebSocket-Protocol")).toBe("SPDY/3.1+portforward.k8s.io");
    const kubectl = record(res.webSocket!);
    res.webSocket!.send(Uint8Array.of(0x80, 3, 0, 1));
    const got = await device.got.until("bytes at the device", () => device.got.messages.find((m) => typeof m !== "string"));
    expect([...new Uint8Array(got as ArrayBuffer)]).toEqual([0x80, 3, 0, 1]);
    device.socket.send(Uint8Array.of(9, 8, 7));
    await kubectl.until("bytes at kubectl", () => kubectl.messages.length === 1);
    expect([...new Uint8Array(kubectl.messages[0] as ArrayBuffer)]).toEqual([9, 8, 7]);
  });
});
