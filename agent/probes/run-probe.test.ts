import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createTcpServer, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Container, Probe } from "../../src/resources/types.ts";
import { runCommand } from "../runtime/process/run-command.ts";
import { expandStatic, resolvePort, runProbe, type ProbeTarget } from "./run-probe.ts";

let http: Server;
let port: number;
let seen: { url?: string; headers: Record<string, string | string[] | undefined> }[] = [];

beforeAll(async () => {
  http = createHttpServer((req, res) => {
    seen.push({ url: req.url, headers: req.headers });
    const routes: Record<string, () => void> = {
      "/ok": () => res.writeHead(200).end("fine"),
      "/fail": () => res.writeHead(500).end("broken"),
      "/moved": () => res.writeHead(302, { Location: "/fail" }).end(),
      "/away": () => res.writeHead(301, { Location: "http://example.invalid/" }).end(),
      "/slow": () => setTimeout(() => res.writeHead(200).end(), 3000),
      "/big": () => res.writeHead(200).end("x".repeat(100_000)),
    };
    (routes[req.url ?? ""] ?? (() => res.writeHead(404).end()))();
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  port = (http.address() as AddressInfo).port;
});

afterAll(() => {
  http.closeAllConnections();
  http.close();
});

const container: Container = { name: "main", ports: [{ name: "http", containerPort: 0 }], env: [{ name: "FILE", value: "/etc/hostname" }, { name: "FROM", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }] };
const target: ProbeTarget = { host: "127.0.0.1", exec: (command, timeoutMs) => runCommand(command, { timeoutMs }) };

describe("runProbe httpGet (a real server)", () => {
  it.each([
    { path: "/ok", result: "success" },
    { path: "/fail", result: "failure", output: "HTTP probe failed with statuscode: 500" },
    { path: "/moved", result: "failure", output: "HTTP probe failed with statuscode: 500" },
    { path: "/away", result: "success" },
    { path: "/missing", result: "failure", output: "HTTP probe failed with statuscode: 404" },
    { path: "/big", result: "success" },
    { path: "/slow", result: "failure", output: "context deadline exceeded" },
  ])("$path is $result", async ({ path, result, output }) => {
    const outcome = await runProbe({ httpGet: { path, port }, timeoutSeconds: 1 }, container, target);
    expect(outcome.result).toBe(result);
    if (output) expect(outcome.output).toContain(output);
  });

  it("sends the kubelet's headers, the probe's winning", async () => {
    seen = [];
    await runProbe({ httpGet: { path: "/ok", port, httpHeaders: [{ name: "X-Check", value: "1" }, { name: "accept", value: "application/json" }] } }, container, target);
    expect(seen[0].headers["user-agent"]).toMatch(/^kube-probe\//);
    expect(seen[0].headers["x-check"]).toBe("1");
    expect(seen[0].headers.accept).toBe("application/json");
  });

  it("resolves a named port", async () => {
    const named: Container = { ...container, ports: [{ name: "http", containerPort: port }] };
    expect((await runProbe({ httpGet: { path: "/ok", port: "http" } }, named, target)).result).toBe("success");
  });

  it("fails on a refused connection", async () => {
    const outcome = await runProbe({ httpGet: { port: 1 } }, container, target);
    expect(outcome).toMatchObject({ result: "failure", output: expect.stringContaining("ECONNREFUSED") });
  });
});

describe("runProbe tcpSocket (a real listener)", () => {
  it("succeeds while something listens and fails once it stops", async () => {
    const server = createTcpServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const tcpPort = (server.address() as AddressInfo).port;
    expect((await runProbe({ tcpSocket: { port: tcpPort } }, container, target)).result).toBe("success");
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect((await runProbe({ tcpSocket: { port: tcpPort } }, container, target)).result).toBe("failure");
  });
});

describe("runProbe exec (real commands)", () => {
  it.each<{ probe: Probe; result: string }>([
    { probe: { exec: { command: ["true"] } }, result: "success" },
    { probe: { exec: { command: ["false"] } }, result: "failure" },
    { probe: { exec: { command: ["test", "-f", "$(FILE)"] } }, result: "success" },
    { probe: { exec: { command: ["sleep", "5"] }, timeoutSeconds: 1 }, result: "failure" },
    { probe: { exec: { command: ["/no/such/binary"] } }, result: "failure" },
    { probe: { exec: { command: [] } }, result: "unknown" },
  ])("$probe.exec.command is $result", async ({ probe, result }) => {
    expect((await runProbe(probe, container, target)).result).toBe(result);
  });
});

describe("helpers", () => {
  it.each([
    [8080, 8080],
    ["8080", 8080],
    ["http", 0],
    ["nope", undefined],
    [0, undefined],
  ])("resolvePort(%j) = %j", (input, want) => {
    expect(resolvePort(input, container)).toBe(want);
  });

  it("expands only plain values in exec commands", () => {
    expect(expandStatic(["cat", "$(FILE)", "$(FROM)"], container.env)).toEqual(["cat", "/etc/hostname", "$(FROM)"]);
  });
});
