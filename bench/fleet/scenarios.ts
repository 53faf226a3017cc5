/**
 * @module
 * The fleet scenarios, run against one real local control plane with a simulated fleet, each
 * figure next to a baseline measured in the same run (`GET /healthz` through the same client):
 *
 * - converge: a new fleet-wide DaemonSet until every pod is Ready, in sync intervals; the sync
 *   latency (p50/p95) meanwhile;
 * - rollout: a RollingUpdate (maxUnavailable 10 % unless told, minReadySeconds) over the fleet: its time
 *   against ⌈N/budget⌉ × (interval + minReadySeconds), and the peak of the budget in use;
 * - label: one node's label change until its pod is deleted, and back until a new one exists;
 * - enrol: devices enrolled per second with the fleet-wide DaemonSet present.
 *
 * The same steps serve the 50-node smoke test (test/e2e/fleet-smoke.test.ts), which asserts the
 * outcome and ignores the timings.
 */
import type { ControlPlane } from "../../test/support/control-plane.ts";
import { Fleet, type SyncRecord } from "./fleet.ts";
import { FleetClient } from "./http.ts";
import { workerdCpuMs } from "./process-cpu.ts";

/** Runs `work` and adds the control plane's CPU over it (ms, undefined off Linux). */
async function withCpu<T extends object>(work: () => Promise<T>): Promise<T & { cpuMs?: number }> {
  const before = workerdCpuMs();
  const result = await work();
  const after = workerdCpuMs();
  return before !== undefined && after !== undefined ? { ...result, cpuMs: after - before } : (result as T & { cpuMs?: number });
}

export const dsPath = (name: string) => `/apis/apps/v1/namespaces/default/daemonsets/${name}`;

export interface Latency {
  count: number;
  p50: number;
  p95: number;
  perSecond: number;
  /** The control plane's CPU over the measurement, ms (workerd, from /proc). */
  cpuMs?: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

export function summarize(latencies: readonly number[], seconds: number): Latency {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), perSecond: sorted.length / seconds };
}

/** `requests` GET /healthz, `concurrency` at a time, over a keep-alive client like the fleet's. */
export async function measureBaseline(cp: ControlPlane, requests = 400, concurrency = 8): Promise<Latency> {
  const client = new FleetClient(cp.url, cp.connection.ca, concurrency);
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const cpuBefore = workerdCpuMs();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < requests) {
        const res = await client.request("GET", "/healthz", undefined, {});
        if (res.status !== 200) throw new Error(`/healthz: HTTP ${res.status}`);
        latencies.push(res.ms);
      }
    }),
  );
  const result: Latency = summarize(latencies, (performance.now() - started) / 1000);
  const cpuAfter = workerdCpuMs();
  if (cpuBefore !== undefined && cpuAfter !== undefined) result.cpuMs = cpuAfter - cpuBefore;
  client.close();
  return result;
}

export function daemonSet(name: string, image: string, minReadySeconds: number, maxUnavailablePercent = 10) {
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      minReadySeconds,
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: `${maxUnavailablePercent}%` } },
      template: {
        metadata: { labels: { app: name } },
        spec: { nodeSelector: { fleet: "on" }, terminationGracePeriodSeconds: 0, containers: [{ name: "main", image, command: ["sleep", "infinity"] }] },
      },
    },
  };
}

async function check(res: { status: number; body: string }, what: string) {
  if (res.status >= 300) throw new Error(`${what}: HTTP ${res.status}: ${res.body.slice(0, 300)}`);
}

/** Every simulated device holds exactly one live pod of `image` and it is Ready. */
export function fleetRuns(fleet: Fleet, image: string, now = Date.now()): boolean {
  return fleet.nodes.every((n) => {
    const live = n.livePods();
    return live.length === 1 && live[0]!.spec.containers[0]!.image === image && n.readyPods(now).has(live[0]!.metadata.uid!);
  });
}

/** How far the fleet is: devices running `image` Ready, and the DaemonSet's status. */
export async function progressOf(cp: ControlPlane, fleet: Fleet, name: string, image: string): Promise<string> {
  const now = Date.now();
  const on = fleet.nodes.filter((n) => n.livePods().some((p) => p.spec.containers[0]!.image === image && n.readyPods(now).has(p.metadata.uid!))).length;
  // A saturated plane may not answer a read in time: the progress line says so, the run goes on.
  const status = await cp.api("GET", dsPath(name)).then((r) => JSON.stringify(r.json().status ?? {}), (error: Error) => `unread (${error.message})`);
  return `${on}/${fleet.nodes.length} devices run ${image} Ready; status ${status}`;
}

/** The DaemonSet's status says the whole fleet runs the current generation, all available. */
export async function rolledOut(cp: ControlPlane, name: string, nodes: number): Promise<boolean> {
  const read = await cp.api("GET", dsPath(name)).catch(() => undefined);
  if (!read) return false; // not answered in time (a saturated plane): asked again at the next poll
  const ds = read.json();
  const s = ds.status ?? {};
  return s.observedGeneration === ds.metadata.generation && s.desiredNumberScheduled === nodes && s.updatedNumberScheduled === nodes && s.numberAvailable === nodes && s.numberReady === nodes;
}

export interface FleetSetup {
  cp: ControlPlane;
  fleet: Fleet;
  token: string;
  intervalSeconds: number;
  log?: (line: string) => void;
}

/** Enrolls `nodes` devices labelled fleet=on and starts them; resolves when each has synced once. */
export async function enrollAndStart(cp: ControlPlane, fleet: Fleet, nodes: number, prefix = "sim"): Promise<{ token: string; enrolment: Latency }> {
  const token = (await cp.api("POST", "/edgeset/v1/bootstraptokens", { ttlSeconds: 24 * 3600 })).json().token as string;
  const started = performance.now();
  const latencies = await fleet.enroll(
    Array.from({ length: nodes }, (_, i) => ({ name: `${prefix}-${i}`, labels: { fleet: "on" } })),
    token,
  );
  const enrolment = summarize(latencies, (performance.now() - started) / 1000);
  fleet.start();
  await fleet.waitFor("every device synced once", () => fleet.nodes.every((n) => n.syncs > 0));
  return { token, enrolment };
}

export interface ConvergeResult {
  seconds: number;
  intervals: number;
  /** From the create until every device had received its pod (Ready or not), sampled every 250 ms. */
  deliveredSeconds?: number;
  sync: Latency;
  syncStatuses: Record<number, number>;
  /** The control plane's CPU from the create to the last pod Ready, ms. */
  cpuMs?: number;
}

function syncsBetween(log: readonly SyncRecord[], from: number, to: number) {
  const inWindow = log.filter((r) => r.at >= from && r.at <= to);
  const statuses: Record<number, number> = {};
  for (const r of inWindow) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  return { latency: summarize(inWindow.filter((r) => r.status > 0).map((r) => r.ms), (to - from) / 1000), statuses };
}

/** (a) A new DaemonSet on every node: until every device runs it Ready and the status says so. */
export async function converge(setup: FleetSetup, name: string, image: string, minReadySeconds: number, maxUnavailablePercent = 10): Promise<ConvergeResult> {
  const { cp, fleet } = setup;
  const t0 = performance.now();
  let deliveredSeconds: number | undefined;
  const delivered = setInterval(() => {
    if (deliveredSeconds === undefined && fleet.nodes.every((n) => n.livePods().some((p) => p.spec.containers[0]!.image === image))) deliveredSeconds = (performance.now() - t0) / 1000;
  }, 250);
  const { cpuMs } = await withCpu(async () => {
    await check(await cp.api("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet(name, image, minReadySeconds, maxUnavailablePercent)), "create DaemonSet");
    await fleet.waitFor("the DaemonSet Ready on every device", () => fleetRuns(fleet, image), 600_000, 100, () => progressOf(cp, fleet, name, image), setup.log);
    return {};
  }).finally(() => clearInterval(delivered));
  const seconds = (performance.now() - t0) / 1000;
  deliveredSeconds ??= seconds;
  const { latency, statuses } = syncsBetween(fleet.syncLog, t0, performance.now());
  await fleet.waitFor("the DaemonSet status to show the fleet", () => rolledOut(cp, name, fleet.nodes.length), 600_000, 500);
  return { seconds, intervals: seconds / setup.intervalSeconds, deliveredSeconds, sync: latency, syncStatuses: statuses, ...(cpuMs !== undefined ? { cpuMs } : {}) };
}

export interface RolloutResult {
  seconds: number;
  theoreticalSeconds: number;
  ratio: number;
  budget: number;
  /** Most desired nodes without an available pod at once, as the devices saw it (sampled every 100 ms). */
  peakUnavailableDevices: number;
  /** Most unavailable pods the DaemonSet status reported (sampled every 500 ms). */
  peakUnavailableStatus: number;
  sync: Latency;
  /** The control plane's CPU over the rollout, ms. */
  cpuMs?: number;
}

/** Desired devices without an available pod (Ready for minReadySeconds, not being deleted). */
function unavailableDevices(fleet: Fleet, minReadySeconds: number, now: number): number {
  let count = 0;
  for (const n of fleet.nodes) {
    const ready = n.readyPods(now);
    const available = n.livePods().some((p) => {
      const at = ready.get(p.metadata.uid!);
      return at !== undefined && now - at >= minReadySeconds * 1000;
    });
    if (!available) count++;
  }
  return count;
}

/** (b) A template change rolled over the fleet (the DaemonSet as `converge` made it, maxUnavailable 10 % by default). */
export async function rollout(setup: FleetSetup, name: string, image: string, minReadySeconds: number, maxUnavailablePercent = 10): Promise<RolloutResult> {
  const { cp, fleet } = setup;
  const n = fleet.nodes.length;
  const budget = Math.max(1, Math.floor((n * maxUnavailablePercent) / 100)); // a percentage rounds down, at least 1
  let peakDevices = 0;
  let peakStatus = 0;
  const sampler = setInterval(() => (peakDevices = Math.max(peakDevices, unavailableDevices(fleet, minReadySeconds, Date.now()))), 100);
  let polling = true;
  const statusPoll = (async () => {
    while (polling) {
      const s = (await cp.api("GET", dsPath(name))).json().status ?? {};
      peakStatus = Math.max(peakStatus, s.numberUnavailable ?? 0);
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  const t0 = performance.now();
  const cpuBefore = workerdCpuMs();
  try {
    await check(await cp.mergePatch(dsPath(name), { spec: { template: { spec: { containers: [{ name: "main", image, command: ["sleep", "infinity"] }] } } } }), "update DaemonSet");
    const progress = () => progressOf(cp, fleet, name, image);
    await fleet.waitFor("the new revision Ready on every device", () => fleetRuns(fleet, image), 1_800_000, 100, progress, setup.log);
    await fleet.waitFor("the rollout complete in the status", () => rolledOut(cp, name, n), 600_000, 250, progress, setup.log);
  } finally {
    clearInterval(sampler);
    polling = false;
    await statusPoll;
  }
  const cpuAfter = workerdCpuMs();
  const seconds = (performance.now() - t0) / 1000;
  const theoreticalSeconds = Math.ceil(n / budget) * (setup.intervalSeconds + minReadySeconds);
  return { seconds, theoreticalSeconds, ratio: seconds / theoreticalSeconds, budget, peakUnavailableDevices: peakDevices, peakUnavailableStatus: peakStatus, sync: syncsBetween(fleet.syncLog, t0, performance.now()).latency, ...(cpuBefore !== undefined && cpuAfter !== undefined ? { cpuMs: cpuAfter - cpuBefore } : {}) };
}

export interface LabelResult {
  /** Label removed → the node's pod marked for deletion (or gone), median of the rounds, ms. */
  removeMs: number;
  /** Label back → a new pod bound to the node, median, ms. */
  restoreMs: number;
  rounds: number;
}

const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 0.5);

/** (d) One node's label change reaching its pod (API side: the pod object, not the device). */
export async function labelChange(setup: FleetSetup, name: string, rounds = 3): Promise<LabelResult> {
  const { cp, fleet } = setup;
  const removes: number[] = [];
  const restores: number[] = [];
  const podsOn = async (node: string) =>
    (await cp.api("GET", `/api/v1/namespaces/default/pods?labelSelector=${encodeURIComponent(`app=${name}`)}&fieldSelector=${encodeURIComponent(`spec.nodeName=${node}`)}`)).json().items as any[];
  const until = async (what: string, ok: () => Promise<boolean>) => {
    const deadline = performance.now() + 120_000;
    while (!(await ok())) {
      if (performance.now() > deadline) throw new Error(`label change: timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  for (let i = 0; i < rounds; i++) {
    const node = fleet.nodes[(i * 7919) % fleet.nodes.length]!.name;
    let t = performance.now();
    await check(await cp.mergePatch(`/api/v1/nodes/${node}`, { metadata: { labels: { fleet: null } } }), "unlabel node");
    await until(`${node}'s pod to be deleted`, async () => (await podsOn(node)).every((p) => p.metadata.deletionTimestamp));
    removes.push(performance.now() - t);
    // Its device must have let the old pod go before a new one can be placed (the controller waits for it).
    await until(`${node}'s old pod to be gone`, async () => (await podsOn(node)).length === 0);
    t = performance.now();
    await check(await cp.mergePatch(`/api/v1/nodes/${node}`, { metadata: { labels: { fleet: "on" } } }), "relabel node");
    await until(`a pod on ${node} again`, async () => (await podsOn(node)).some((p) => !p.metadata.deletionTimestamp));
    restores.push(performance.now() - t);
  }
  return { removeMs: median(removes), restoreMs: median(restores), rounds };
}

/** (c) `count` new devices enrolling while the fleet-wide DaemonSet exists. */
export async function enrolment(setup: FleetSetup, count: number): Promise<Latency> {
  const { fleet, token } = setup;
  const started = performance.now();
  const base = fleet.nodes.length;
  const { latencies, cpuMs } = await withCpu(async () => ({
    latencies: await fleet.enroll(
      Array.from({ length: count }, (_, i) => ({ name: `late-${base + i}`, labels: { fleet: "on" } })),
      token,
    ),
  }));
  return { ...summarize(latencies, (performance.now() - started) / 1000), ...(cpuMs !== undefined ? { cpuMs } : {}) };
}

export interface SteadyResult {
  seconds: number;
  syncs: number;
  statuses: Record<number, number>;
  sync: Latency;
  /** The control plane's CPU per sync answered, ms (the fleet idle: nothing changes). */
  cpuMsPerSync?: number;
}

/** A settled fleet for `seconds`: how many syncs, of which kind, and what each costs the control plane. */
export async function steady(setup: FleetSetup, seconds: number): Promise<SteadyResult> {
  const { fleet } = setup;
  const t0 = performance.now();
  const { cpuMs } = await withCpu(() => new Promise<object>((resolve) => setTimeout(() => resolve({}), seconds * 1000)));
  const { latency, statuses } = syncsBetween(fleet.syncLog, t0, performance.now());
  return { seconds, syncs: latency.count, statuses, sync: latency, ...(cpuMs !== undefined && latency.count > 0 ? { cpuMsPerSync: cpuMs / latency.count } : {}) };
}
