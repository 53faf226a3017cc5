/**
 * `BENCH_PARTS=sessions`: what the opt-in session doorbell (`--session-doorbell`) buys and costs.
 * Two real agents on one control plane, both syncing every `BENCH_SESSION_INTERVAL` seconds
 * (default 10), one polling only (the baseline), one with the doorbell; each runs one process
 * pod. For each, `BENCH_SESSIONS` (default 6) `kubectl logs --tail=1` requests (`GET pods/log`),
 * one at a time, each after a random pause within a sync interval (so requests fall at random
 * points of the sync cycle): the time to the answer's first byte. Costs are counted at the link
 * between the agents and the control plane (test/support/link.ts): requests per session and the
 * doorbell's own connections. The doorbell's keep-alive is one WebSocket message per 30 s, which
 * the link does not see (it is inside the socket): that figure is the configured period.
 */
import { request } from "node:https";
import { rmSync } from "node:fs";
import { startAgent, type AgentProcess } from "../test/support/agents.ts";
import { startControlPlane, type ControlPlane } from "../test/support/control-plane.ts";
import { startLink, type Link } from "../test/support/link.ts";
import { waitFor } from "../test/support/wait.ts";
import { summarize, type Latency } from "./fleet/scenarios.ts";

export interface SessionBenchResults {
  config: { intervalSeconds: number; sessions: number };
  polling: Latency & { requestsPerSession: Record<string, number> };
  doorbell: Latency & { requestsPerSession: Record<string, number>; doorbellConnects: number };
  ratios: Record<string, number>;
}

/** Milliseconds to the first byte of GET `path` (with the admin token), then the body drained. */
function firstByteMs(cp: ControlPlane, path: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, cp.url), { headers: { Authorization: `Bearer ${cp.connection.token}` }, ca: cp.connection.ca }, (res) => {
      let at: number | undefined;
      res.on("data", () => (at ??= performance.now() - started));
      res.on("end", () => (res.statusCode === 200 && at !== undefined ? resolve(at) : reject(new Error(`pods/log answered ${res.statusCode}`))));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Requests through the link since `from`, by kind (the sync, the session list, joins, doorbells). */
function countSince(link: Link, from: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of link.requests().slice(from)) {
    const kind = r.path === "/agent/v1/sync" ? "sync" : r.path === "/agent/v1/sessions" ? "list" : r.path === "/agent/v1/sessions/doorbell" ? "doorbell" : r.path.startsWith("/agent/v1/sessions/") ? "join" : r.path;
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

async function podOf(cp: ControlPlane, node: string): Promise<string> {
  return waitFor(`the pod on ${node} running`, async () => {
    const pods = (await cp.api("GET", `/api/v1/namespaces/default/pods?fieldSelector=spec.nodeName%3D${node}`)).json().items as any[];
    return pods[0]?.status?.phase === "Running" ? (pods[0].metadata.name as string) : undefined;
  }, 120_000);
}

export async function sessionBench(): Promise<SessionBenchResults> {
  const intervalSeconds = Number(process.env.BENCH_SESSION_INTERVAL ?? 10);
  const sessions = Number(process.env.BENCH_SESSIONS ?? 6);
  const cp = await startControlPlane({ nodeGraceSeconds: 3600, syncIntervalSeconds: intervalSeconds });
  const link = await startLink(cp);
  const agents: AgentProcess[] = [];
  try {
    agents.push(await startAgent(cp, { nodeName: "bench-polling", link, syncIntervalSeconds: intervalSeconds }));
    agents.push(await startAgent(cp, { nodeName: "bench-doorbell", link, syncIntervalSeconds: intervalSeconds, extraArgs: ["--session-doorbell"] }));
    const ds = {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name: "bench-ticker" },
      spec: {
        selector: { matchLabels: { app: "bench-ticker" } },
        template: { metadata: { labels: { app: "bench-ticker" } }, spec: { containers: [{ name: "main", image: "busybox:1.36", command: ["sh", "-c", "echo ready; while true; do sleep 5; done", "bench-session-doorbell"] }] } },
      },
    };
    const created = await cp.api("POST", "/apis/apps/v1/namespaces/default/daemonsets", ds);
    if (created.status !== 201) throw new Error(`DaemonSet: ${created.body}`);

    const run = async (node: string) => {
      const pod = await podOf(cp, node);
      const from = link.requests().length;
      const times: number[] = [];
      const started = performance.now();
      for (let i = 0; i < sessions; i++) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * intervalSeconds * 1000));
        times.push(await firstByteMs(cp, `/api/v1/namespaces/default/pods/${pod}/log?tailLines=1`));
      }
      const counts = countSince(link, from);
      const perSession = Object.fromEntries(Object.entries(counts).filter(([k]) => k !== "sync").map(([k, v]) => [k, v / sessions]));
      return { ...summarize(times, (performance.now() - started) / 1000), requestsPerSession: perSession, counts };
    };
    const polling = await run("bench-polling");
    const doorbellRun = await run("bench-doorbell");
    const doorbellConnects = link.requests().filter((r) => r.path === "/agent/v1/sessions/doorbell").length;
    const { counts: _p, ...pollingOut } = polling;
    const { counts: _d, ...doorbellOut } = doorbellRun;
    const results: SessionBenchResults = {
      config: { intervalSeconds, sessions },
      polling: pollingOut,
      doorbell: { ...doorbellOut, doorbellConnects },
      ratios: {
        "sessions: time to first byte p50, doorbell ÷ polling": doorbellRun.p50 / polling.p50,
        "sessions: time to first byte p95, doorbell ÷ polling": doorbellRun.p95 / polling.p95,
      },
    };
    console.log(`\nsessions (sync every ${intervalSeconds} s, ${sessions} logs requests each): polling p50 ${polling.p50.toFixed(0)} ms p95 ${polling.p95.toFixed(0)} ms; doorbell p50 ${doorbellRun.p50.toFixed(0)} ms p95 ${doorbellRun.p95.toFixed(0)} ms`);
    console.log(`requests per session through the link: polling ${JSON.stringify(pollingOut.requestsPerSession)}, doorbell ${JSON.stringify(doorbellOut.requestsPerSession)}; doorbell connections in the run: ${doorbellConnects}`);
    return results;
  } finally {
    await cp.api("DELETE", "/apis/apps/v1/namespaces/default/daemonsets/bench-ticker").catch(() => undefined);
    for (const agent of agents) {
      await agent.stop();
      rmSync(agent.stateDir, { recursive: true, force: true });
    }
    await link.close();
    await cp.stop();
  }
}
