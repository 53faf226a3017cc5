/**
 * @module
 * The fleet scenarios of `npm run bench`, on one control plane configured for the fleet's
 * interval: enrol N simulated devices (no DaemonSet yet), then (a) converge a fleet-wide
 * DaemonSet, (b) roll it to a new image, (d) change one node's label and back, (c) enrol more
 * devices with the DaemonSet present; between (a) and (b), one interval of the settled fleet
 * (what an unchanged sync costs). The control plane's CPU (workerd, from /proc) is recorded for
 * each. Every timing also appears as a ratio to the same run's
 * `GET /healthz` baseline.
 *
 * Options (environment): BENCH_FLEET_NODES (100), BENCH_FLEET_INTERVAL seconds (10),
 * BENCH_FLEET_MIN_READY seconds (5), BENCH_FLEET_READY_DELAY_MS (0), BENCH_FLEET_CONCURRENCY
 * requests on the wire (16), BENCH_FLEET_GRACE node grace seconds (max(40, 5 × interval)),
 * BENCH_FLEET_ENROL devices enrolled in (c) (50), BENCH_FLEET_SCENARIOS (steady,rollout,label,enrol; the DaemonSet always converges first),
 * BENCH_FLEET_SHARDS node shards (`NODE_SHARDS`, wrangler.toml's default when unset).
 *
 * The whole fleet enrols and calls the API from one address with one token, so the per-address and
 * per-token rate limits (abuse protection, src/api/rate-limit) are off in the bench's control
 * plane; the per-device sync limit stays.
 */
import { startControlPlane } from "../../test/support/control-plane.ts";
import { Fleet } from "./fleet.ts";
import { converge, enrolment, enrollAndStart, labelChange, measureBaseline, rollout, steady, type ConvergeResult, type Latency, type LabelResult, type RolloutResult, type SteadyResult } from "./scenarios.ts";

const env = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);

export interface FleetBenchConfig {
  nodes: number;
  intervalSeconds: number;
  minReadySeconds: number;
  readyDelayMs: number;
  concurrency: number;
  graceSeconds: number;
  enrol: number;
  scenarios: string[];
  /** `NODE_SHARDS` of the control plane; undefined = wrangler.toml's. */
  shards?: number;
}

export function fleetConfig(): FleetBenchConfig {
  const intervalSeconds = env("BENCH_FLEET_INTERVAL", 10);
  return {
    nodes: env("BENCH_FLEET_NODES", 100),
    intervalSeconds,
    minReadySeconds: env("BENCH_FLEET_MIN_READY", 5),
    readyDelayMs: env("BENCH_FLEET_READY_DELAY_MS", 0),
    concurrency: env("BENCH_FLEET_CONCURRENCY", 16),
    graceSeconds: env("BENCH_FLEET_GRACE", Math.max(40, 5 * intervalSeconds)),
    enrol: env("BENCH_FLEET_ENROL", 50),
    scenarios: (process.env.BENCH_FLEET_SCENARIOS ?? "steady,rollout,label,enrol").split(",").map((s) => s.trim()),
    ...(process.env.BENCH_FLEET_SHARDS ? { shards: Number(process.env.BENCH_FLEET_SHARDS) } : {}),
  };
}

export interface FleetBenchResults {
  config: FleetBenchConfig;
  baseline: Latency;
  /** The first N enrolments, before any DaemonSet exists. */
  initialEnrolment: Latency;
  converge?: ConvergeResult;
  /** One interval of the settled fleet after the DaemonSet converged. */
  steady?: SteadyResult;
  rollout?: RolloutResult;
  label?: LabelResult;
  enrolment?: Latency;
  /** Syncs answered in the whole run, by status. */
  syncStatuses: Record<number, number>;
  /** Each figure against the same run's baseline. */
  ratios: Record<string, number>;
}

export async function fleetBench(config = fleetConfig()): Promise<FleetBenchResults> {
  const log = (line: string) => console.log(`[fleet ${new Date().toISOString().slice(11, 19)}] ${line}`);
  const vars: Record<string, string> = { RATE_LIMITER: "memory", ENROLL_RATE_LIMIT_PER_MINUTE: "0", API_RATE_LIMIT_PER_MINUTE: "0", ...(config.shards ? { NODE_SHARDS: String(config.shards) } : {}) };
  const cp = await startControlPlane({ syncIntervalSeconds: config.intervalSeconds, nodeGraceSeconds: config.graceSeconds, vars });
  const fleet = new Fleet({ server: cp.url, ca: cp.connection.ca, concurrency: config.concurrency, readyDelayMs: config.readyDelayMs });
  try {
    const baseline = await measureBaseline(cp, 400, 8);
    log(`baseline /healthz p50 ${baseline.p50.toFixed(1)} ms, ${baseline.perSecond.toFixed(0)} req/s`);
    const { token, enrolment: initialEnrolment } = await enrollAndStart(cp, fleet, config.nodes);
    log(`${config.nodes} devices enrolled (${initialEnrolment.perSecond.toFixed(1)}/s, p50 ${initialEnrolment.p50.toFixed(0)} ms) and synced once`);
    const setup = { cp, fleet, token, intervalSeconds: config.intervalSeconds, log };
    const results: FleetBenchResults = { config, baseline, initialEnrolment, syncStatuses: {}, ratios: {} };
    const want = (s: string) => config.scenarios.includes(s);
    const ratios = results.ratios;
    ratios["initial enrolment devices/s ÷ healthz req/s"] = initialEnrolment.perSecond / baseline.perSecond;
    const baselineCpu = baseline.cpuMs !== undefined ? baseline.cpuMs / baseline.count : undefined;
    const cpuRatio = (key: string, cpuMs: number | undefined, per: number) => {
      if (cpuMs !== undefined && baselineCpu) ratios[key] = cpuMs / per / baselineCpu;
    };
    // (a) always: the other scenarios start from the converged fleet.
    results.converge = await converge(setup, "fleet", "example/fleet:1", config.minReadySeconds);
    log(`converged in ${results.converge.seconds.toFixed(1)} s = ${results.converge.intervals.toFixed(2)} intervals, sync p50 ${results.converge.sync.p50.toFixed(1)} ms`);
    ratios["converge: intervals"] = results.converge.intervals;
    if (results.converge.deliveredSeconds !== undefined) ratios["converge: every device has its pod, intervals"] = results.converge.deliveredSeconds / config.intervalSeconds;
    ratios["converge: sync p50 ÷ healthz p50"] = results.converge.sync.p50 / baseline.p50;
    ratios["converge: sync p95 ÷ healthz p50"] = results.converge.sync.p95 / baseline.p50;
    cpuRatio("converge: CPU per pod ÷ healthz CPU per request", results.converge.cpuMs, config.nodes);
    if (want("steady")) {
      results.steady = await steady(setup, config.intervalSeconds);
      log(`settled: ${results.steady.syncs} syncs in one interval ${JSON.stringify(results.steady.statuses)}, ${results.steady.cpuMsPerSync?.toFixed(2)} ms CPU each`);
      ratios["settled: syncs per device per interval"] = results.steady.syncs / config.nodes;
      ratios["settled: sync p50 ÷ healthz p50"] = results.steady.sync.p50 / baseline.p50;
      cpuRatio("settled: CPU per sync ÷ healthz CPU per request", results.steady.cpuMsPerSync, 1);
    }
    if (want("rollout")) {
      results.rollout = await rollout(setup, "fleet", "example/fleet:2", config.minReadySeconds);
      log(`rolled out in ${results.rollout.seconds.toFixed(1)} s = ${results.rollout.ratio.toFixed(2)}× the minimum, peak ${results.rollout.peakUnavailableDevices}/${results.rollout.budget}`);
      ratios["rollout: time ÷ theoretical minimum"] = results.rollout.ratio;
      ratios["rollout: peak unavailable (devices) ÷ budget"] = results.rollout.peakUnavailableDevices / results.rollout.budget;
      ratios["rollout: peak unavailable (status) ÷ budget"] = results.rollout.peakUnavailableStatus / results.rollout.budget;
      ratios["rollout: sync p50 ÷ healthz p50"] = results.rollout.sync.p50 / baseline.p50;
      cpuRatio("rollout: CPU per pod replaced ÷ healthz CPU per request", results.rollout.cpuMs, config.nodes);
    }
    if (want("label")) {
      results.label = await labelChange(setup, "fleet");
      log(`label change: pod deleted after ${results.label.removeMs.toFixed(0)} ms, created after ${results.label.restoreMs.toFixed(0)} ms`);
      ratios["label removed → pod deleting ÷ healthz p50"] = results.label.removeMs / baseline.p50;
      ratios["label added → pod created ÷ healthz p50"] = results.label.restoreMs / baseline.p50;
    }
    if (want("enrol")) {
      results.enrolment = await enrolment(setup, config.enrol);
      log(`enrolment with the DaemonSet: ${results.enrolment.perSecond.toFixed(1)}/s, p50 ${results.enrolment.p50.toFixed(0)} ms`);
      ratios["enrolment with DaemonSet devices/s ÷ healthz req/s"] = results.enrolment.perSecond / baseline.perSecond;
      ratios["enrolment with DaemonSet p50 ÷ healthz p50"] = results.enrolment.p50 / baseline.p50;
      ratios["enrolment with DaemonSet ÷ without (devices/s)"] = results.enrolment.perSecond / initialEnrolment.perSecond;
      cpuRatio("enrolment with DaemonSet: CPU per device ÷ healthz CPU per request", results.enrolment.cpuMs, config.enrol);
    }
    for (const r of fleet.syncLog) results.syncStatuses[r.status] = (results.syncStatuses[r.status] ?? 0) + 1;
    return results;
  } finally {
    await fleet.stop();
    await cp.stop();
  }
}
