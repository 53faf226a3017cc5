/**
 * The device-sync hot path (part of `npm run bench`, see bench/run.ts) and the agent's footprint, measured on this machine
 * against a baseline taken in the same run (machines here are shared and noisy, so ratios are the
 * result, not absolute times).
 *
 * - baseline: `GET /healthz` through the same Worker, TLS and loopback (no D1, no auth)
 * - unchanged sync: the 304 path (answered by the node's shard from memory: no D1 query, nothing written)
 * - changed sync: a report that differs every time (written through: status + lease)
 * - changed + download: a report that changes every time and a stale ETag (written through, then
 *   the node's pods and configuration read and returned)
 * - every scenario also records the control plane's CPU per request (workerd, from /proc)
 * - agent: RSS and CPU of a real agent (the bundled dist/edgeset-agent.cjs on the system's Node)
 *   running 3 pods, idle between syncs
 *
 * Options: BENCH_NODES (default 20), BENCH_REQUESTS per scenario (default 400), BENCH_CONCURRENCY (8).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requestJson } from "../scripts/lib/http.ts";
import { startControlPlane, type ControlPlane } from "../test/support/control-plane.ts";
import { workerdCpuMs } from "./fleet/process-cpu.ts";

const nodes = Number(process.env.BENCH_NODES ?? 20);
const requests = Number(process.env.BENCH_REQUESTS ?? 400);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);

export interface Result {
  name: string;
  p50: number;
  p95: number;
  perSecond: number;
  statuses: Record<number, number>;
  /** The local control plane's (workerd's) CPU per request, ms; absent off Linux. */
  cpuMsPerRequest?: number;
}

async function measure(name: string, one: (i: number) => Promise<number>): Promise<Result> {
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let next = 0;
  const started = performance.now();
  const cpuBefore = workerdCpuMs();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        const i = next++;
        const t = performance.now();
        const status = await one(i);
        latencies.push(performance.now() - t);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpuAfter = workerdCpuMs();
  latencies.sort((a, b) => a - b);
  return { ...(cpuBefore !== undefined && cpuAfter !== undefined ? { cpuMsPerRequest: (cpuAfter - cpuBefore) / requests } : {}), name, p50: latencies[Math.floor(latencies.length / 2)]!, p95: latencies[Math.floor(latencies.length * 0.95)]!, perSecond: requests / elapsed, statuses };
}

async function enrollFleet(cp: ControlPlane) {
  const token = (await cp.api("POST", "/edgeset/v1/bootstraptokens", { ttlSeconds: 3600 })).json().token;
  const fleet: { name: string; credential: string; version: string; body: string }[] = [];
  for (let i = 0; i < nodes; i++) {
    const name = `bench-${i}`;
    const enrolled = await requestJson({ ...cp.connection, token }, "POST", "/agent/v1/enroll", { nodeName: name, labels: { bench: "true" } });
    const credential = JSON.parse(enrolled.body).credential as string;
    const body = JSON.stringify({ node: { labels: { "kubernetes.io/hostname": name } }, pods: [] });
    const first = await requestJson({ ...cp.connection, token: credential }, "POST", "/agent/v1/sync", JSON.parse(body));
    fleet.push({ name, credential, version: JSON.parse(first.body).version, body });
  }
  return fleet;
}

function sync(cp: ControlPlane, node: string, credential: string, body: string, version?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    import("node:https").then(({ request }) => {
      const req = request(
        new URL("/agent/v1/sync", cp.url),
        {
          method: "POST",
          ca: cp.connection.ca,
          headers: { Authorization: `Bearer ${credential}`, "X-Edgeset-Node": node, "Content-Type": "application/json", ...(version ? { "If-None-Match": version } : {}) },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.on("error", reject);
      req.end(body);
    }, reject);
  });
}

const rssMiBOf = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;

/** The agent's baseline: the same Node binary running nothing but a timer, measured alongside. */
function bareNode(node: string, load = "") {
  return spawn(node, ["-e", `${load}setInterval(() => {}, 5000)`], { stdio: "ignore" });
}

export interface AgentFootprint {
  rssMiB: number;
  /** RSS of a bare Node process with a timer, started with the agent on the same binary. */
  bareRssMiB: number;
  /** The same with `node:https` loaded (what any HTTPS client pays before its first request). */
  httpsRssMiB: number;
  cpuPercent: number;
  node: string;
}

async function agentFootprint(cp: ControlPlane): Promise<AgentFootprint | undefined> {
  const bundle = "dist/edgeset-agent.cjs";
  if (!existsSync(bundle)) return undefined;
  const stateDir = mkdtempSync(join(tmpdir(), "edgeset-bench-agent-"));
  const token = (await cp.api("POST", "/edgeset/v1/bootstraptokens", { ttlSeconds: 600 })).json().token;
  // The system's Node (20 on these machines), not the tools' 22: the bundle must run there.
  const node = existsSync("/usr/bin/node") ? "/usr/bin/node" : process.execPath;
  const bare = bareNode(node);
  const https = bareNode(node, "require('node:https');");
  const child = spawn(node, [bundle, "--server", cp.url, "--ca-file", cp.caFile, "--bootstrap-token", token, "--node-name", "bench-agent", "--labels", "footprint=true", "--state-dir", stateDir, "--sync-interval", "5", "--stop-pods-on-exit"], { stdio: "ignore" });
  for (let i = 0; i < 3; i++) {
    await cp.api("POST", "/apis/apps/v1/namespaces/default/daemonsets", {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name: `footprint-${i}` },
      spec: {
        selector: { matchLabels: { app: `footprint-${i}` } },
        template: { metadata: { labels: { app: `footprint-${i}` } }, spec: { nodeSelector: { footprint: "true" }, containers: [{ name: "c", image: "none", command: ["sleep", "3600"] }] } },
      },
    });
  }
  await new Promise((resolve) => setTimeout(resolve, 15_000));
  const cpu = () => {
    const fields = readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return Number(fields[11]) + Number(fields[12]); // utime + stime, clock ticks
  };
  const before = cpu();
  const window = 30_000;
  await new Promise((resolve) => setTimeout(resolve, window));
  const ticks = cpu() - before;
  const rssMiB = rssMiBOf(child.pid!);
  const bareRssMiB = rssMiBOf(bare.pid!);
  const httpsRssMiB = rssMiBOf(https.pid!);
  bare.kill("SIGTERM");
  https.kill("SIGTERM");
  const version = (await new Promise<string>((resolve) => {
    const v = spawn(node, ["--version"]);
    let out = "";
    v.stdout.on("data", (d) => (out += d));
    v.on("exit", () => resolve(out.trim()));
  }));
  child.kill("SIGTERM");
  await new Promise((resolve) => child.once("exit", resolve));
  rmSync(stateDir, { recursive: true, force: true });
  return { rssMiB, bareRssMiB, httpsRssMiB, cpuPercent: (ticks / 100 / (window / 1000)) * 100, node: version };
}

export interface HotPathResults {
  nodes: number;
  requests: number;
  concurrency: number;
  rows: Result[];
  agent?: AgentFootprint;
}

async function reportAgentFootprint(cp: ControlPlane): Promise<AgentFootprint | undefined> {
  const footprint = await agentFootprint(cp);
  if (footprint) {
    console.log(`\nagent (dist/edgeset-agent.cjs on Node ${footprint.node}, 3 pods, 5 s sync): RSS ${footprint.rssMiB.toFixed(1)} MiB (bare Node with a timer: ${footprint.bareRssMiB.toFixed(1)} MiB, ${(footprint.rssMiB / footprint.bareRssMiB).toFixed(2)}×; with node:https loaded: ${footprint.httpsRssMiB.toFixed(1)} MiB), CPU ${footprint.cpuPercent.toFixed(2)} % of one core over 30 s idle`);
  } else {
    console.log("\nagent footprint skipped: run `npm run build` first");
  }
  return footprint;
}

/** `BENCH_PARTS=agent`: only the agent's footprint, on a control plane of its own. */
export async function agentBench(): Promise<AgentFootprint | undefined> {
  const cp = await startControlPlane({ nodeGraceSeconds: 3600, syncIntervalSeconds: 5 });
  try {
    return await reportAgentFootprint(cp);
  } finally {
    await cp.stop();
  }
}

export async function hotPathBench(): Promise<HotPathResults> {
  const cp = await startControlPlane({ nodeGraceSeconds: 3600, syncIntervalSeconds: 5 });
  try {
    const fleet = await enrollFleet(cp);
    const baseline = await measure("baseline GET /healthz", () => requestJson(cp.connection, "GET", "/healthz").then((r) => r.status));
    const unchanged = await measure("unchanged sync (304)", (i) => {
      const n = fleet[i % fleet.length]!;
      return sync(cp, n.name, n.credential, n.body, n.version);
    });
    const changed = await measure("changed sync (written through)", (i) => {
      const n = fleet[i % fleet.length]!;
      return sync(cp, n.name, n.credential, JSON.stringify({ node: { labels: { "kubernetes.io/hostname": n.name }, nodeInfo: { bootID: String(i) } }, pods: [] }), n.version);
    });
    const stale = await measure("changed sync + stale ETag (download)", (i) => {
      const n = fleet[i % fleet.length]!;
      return sync(cp, n.name, n.credential, JSON.stringify({ node: { labels: { "kubernetes.io/hostname": n.name }, nodeInfo: { bootID: String(i % 2) } }, pods: [] }), `"0"`);
    });
    const rows = [baseline, unchanged, changed, stale];
    console.log(`\nhot path: ${nodes} nodes, ${requests} requests per scenario, concurrency ${concurrency}\n`);
    console.log("scenario                                p50 ms   p95 ms    req/s  CPU ms/req   p50 vs baseline   req/s vs baseline   CPU vs baseline   statuses");
    for (const r of rows) {
      console.log(
        `${r.name.padEnd(38)} ${r.p50.toFixed(1).padStart(7)} ${r.p95.toFixed(1).padStart(8)} ${r.perSecond.toFixed(0).padStart(8)} ${(r.cpuMsPerRequest ?? NaN).toFixed(2).padStart(11)}   ${(r.p50 / baseline.p50).toFixed(2).padStart(14)}x   ${(r.perSecond / baseline.perSecond).toFixed(2).padStart(16)}x   ${((r.cpuMsPerRequest ?? NaN) / (baseline.cpuMsPerRequest ?? NaN)).toFixed(2).padStart(14)}x   ${JSON.stringify(r.statuses)}`,
      );
    }
    const footprint = await reportAgentFootprint(cp);
    return { nodes, requests, concurrency, rows, ...(footprint ? { agent: footprint } : {}) };
  } finally {
    await cp.stop();
  }
}
