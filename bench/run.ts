/**
 * `npm run bench`: the device-sync hot path and the agent's footprint (bench/hot-path.ts), then the
 * fleet scenarios with simulated devices (bench/fleet/run-fleet.ts), each against a baseline
 * measured in the same run (machines here are shared and noisy, so ratios are the result, not
 * absolute times). Prints a table and writes bench/results.json: every ratio, the raw numbers and
 * the machine. BENCH_PARTS=hot-path,fleet,one-node-pass (default these three; `agent`: only the agent's footprint; `shards`: the shard-rate simulation of
 * bench/shard-rate.ts, no control plane; `sessions`: the session doorbell against polling, bench/session-doorbell.ts;
 * `dashboard`: the dashboard's pages in Chromium at 100 and 10,000 nodes, bench/dashboard.ts) picks what runs; options of each part are
 * described in its module.
 */
import { writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { agentBench, hotPathBench, type AgentFootprint, type HotPathResults } from "./hot-path.ts";
import { fleetBench, type FleetBenchResults } from "./fleet/run-fleet.ts";
import { shardRateBench, type ShardRateResults } from "./shard-rate.ts";
import { onePassBench, type OnePassResults } from "./one-node-pass.ts";
import { sessionBench, type SessionBenchResults } from "./session-doorbell.ts";
import { dashboardBench, type DashboardBenchResults } from "./dashboard.ts";

const parts = (process.env.BENCH_PARTS ?? "hot-path,fleet,one-node-pass").split(",").map((s) => s.trim());
const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? "unknown", memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10, node: process.version, platform: `${process.platform}-${process.arch}` };
const startedAt = new Date().toISOString();
const hotPath: HotPathResults | undefined = parts.includes("hot-path") ? await hotPathBench() : undefined;
const agent: AgentFootprint | undefined = hotPath ? hotPath.agent : parts.includes("agent") ? await agentBench() : undefined;
const fleet: FleetBenchResults | undefined = parts.includes("fleet") ? await fleetBench() : undefined;
const shards: ShardRateResults | undefined = parts.includes("shards") ? shardRateBench() : undefined;
const onePass: OnePassResults | undefined = parts.includes("one-node-pass") ? onePassBench() : undefined;
const sessions: SessionBenchResults | undefined = parts.includes("sessions") ? await sessionBench() : undefined;
const dashboard: DashboardBenchResults | undefined = parts.includes("dashboard") ? await dashboardBench() : undefined;

const ratios: Record<string, number> = {};
if (hotPath) {
  const [baseline, ...rows] = hotPath.rows;
  for (const r of rows) {
    ratios[`hot path: ${r.name} req/s ÷ healthz req/s`] = r.perSecond / baseline!.perSecond;
    ratios[`hot path: ${r.name} p50 ÷ healthz p50`] = r.p50 / baseline!.p50;
  }
}
if (agent?.bareRssMiB) ratios["agent RSS ÷ bare Node with a timer"] = agent.rssMiB / agent.bareRssMiB;
if (fleet) Object.assign(ratios, fleet.ratios);
if (sessions) Object.assign(ratios, sessions.ratios);
if (dashboard) Object.assign(ratios, dashboard.ratios);

if (fleet) {
  const c = fleet.config;
  console.log(`\nfleet: ${c.nodes} simulated devices, ${c.intervalSeconds} s interval, minReadySeconds ${c.minReadySeconds}, ${c.concurrency} requests on the wire, pods ready after ${c.readyDelayMs} ms`);
  console.log(`baseline GET /healthz: p50 ${fleet.baseline.p50.toFixed(1)} ms, ${fleet.baseline.perSecond.toFixed(0)} req/s; syncs answered: ${JSON.stringify(fleet.syncStatuses)}`);
}
console.log(`\n${"figure".padEnd(70)} ${"ratio".padStart(8)}`);
for (const [name, value] of Object.entries(ratios)) console.log(`${name.padEnd(70)} ${value.toFixed(2).padStart(8)}`);
console.log(`\nmachine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}`);

writeFileSync(new URL("./results.json", import.meta.url), `${JSON.stringify({ startedAt, machine, ratios, hotPath, ...(agent && !hotPath ? { agent } : {}), fleet, ...(shards ? { shards } : {}), ...(onePass ? { onePass } : {}), ...(sessions ? { sessions } : {}), ...(dashboard ? { dashboard } : {}) }, null, 2)}\n`);
console.log("wrote bench/results.json");
