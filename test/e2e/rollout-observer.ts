/**
 * A rollout observer for the rollout end-to-end tests: polls a DaemonSet's pods (and the workload
 * processes on this machine) every ~100 ms and keeps every distinct state it saw, so a test can
 * assert over the whole sequence, e.g. that no more than maxUnavailable desired nodes were ever
 * without an available pod.
 *
 * Availability is judged as the controller judges it: a pod is available when it is not being
 * deleted and has been Ready for minReadySeconds (its Ready transition is stamped by the control
 * plane, whose clock this machine shares). Between two polls the pods are unchanged and can only
 * become more available, so the worst moment of each interval is the poll that opened it.
 *
 * @example
 * const observer = observeRollout(cp, { selector: "app=web", nodes, minReadySeconds: 2, marker });
 * ... // roll out
 * const states = await observer.stop();
 * expect(Math.max(...states.map((s) => s.unavailableNodes.length))).toBeLessThanOrEqual(2);
 */
import { readFileSync } from "node:fs";
import type { ControlPlane } from "../support/control-plane.ts";
import { findWorkloads, type Workload } from "../support/agents.ts";

export interface PodView {
  name: string;
  node: string;
  hash: string;
  phase: string;
  ready: boolean;
  readySince?: number;
  deleting: boolean;
}

export interface ObservedState {
  at: number;
  pods: PodView[];
  /** Desired nodes with no available pod at `at`. */
  unavailableNodes: string[];
  /** Workload processes per node (the version tag each one carries). */
  workloads: Record<string, string[]>;
  /** Desired nodes with no workload process at all. */
  nodesWithoutWorkload: string[];
  /** The DaemonSet's status at the poll, when `daemonSet` was given. */
  status?: Record<string, number>;
}

export interface ObserveOptions {
  namespace?: string;
  selector: string;
  nodes: readonly string[];
  minReadySeconds: number;
  /** Workload marker; a process's version tag is its argument that starts with it. */
  marker: string;
  intervalMs?: number;
  /** The DaemonSet's name, to record its status with every state. */
  daemonSet?: string;
}

export interface Observer {
  /** Every distinct state so far (a state is recorded when pods, readiness or workloads change). */
  states(): ObservedState[];
  /** Polls that failed (the control plane restarting). */
  failures(): number;
  stop(): Promise<ObservedState[]>;
}

/**
 * Workload processes, without the short-lived copies a shell forks before it execs a command
 * (`sh -c "...; sleep 1"` briefly has a child with its own command line).
 */
export function workloadProcesses(marker: string): Workload[] {
  const found = findWorkloads(marker);
  const pids = new Set(found.map((w) => w.pid));
  const parentOf = (pid: number) => {
    try {
      return Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ")[1]);
    } catch {
      return 0;
    }
  };
  return found.filter((w) => !pids.has(parentOf(w.pid)));
}

export function viewPod(pod: any): PodView {
  const ready = (pod.status?.conditions ?? []).find((c: any) => c.type === "Ready");
  return {
    name: pod.metadata.name,
    node: pod.spec.nodeName ?? "",
    hash: pod.metadata.labels?.["controller-revision-hash"] ?? "",
    phase: pod.status?.phase ?? "",
    ready: ready?.status === "True",
    readySince: ready?.status === "True" && ready.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : undefined,
    deleting: Boolean(pod.metadata.deletionTimestamp),
  };
}

export function isAvailable(pod: PodView, minReadySeconds: number, now: number): boolean {
  return !pod.deleting && pod.ready && pod.readySince !== undefined && pod.readySince + minReadySeconds * 1000 <= now;
}

export function observeRollout(cp: ControlPlane, options: ObserveOptions): Observer {
  const namespace = options.namespace ?? "default";
  const recorded: ObservedState[] = [];
  let failed = 0;
  let running = true;
  let lastKey = "";

  const poll = async () => {
    const res = await cp.api("GET", `/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(options.selector)}`, undefined, { timeoutMs: 3000 });
    if (res.status !== 200) throw new Error(`list pods: ${res.status}`);
    const at = Date.now();
    const pods: PodView[] = res.json().items.map(viewPod).sort((a: PodView, b: PodView) => (a.node + a.name < b.node + b.name ? -1 : 1));
    const workloads: Record<string, string[]> = {};
    for (const w of workloadProcesses(options.marker)) {
      const tag = w.cmdline.find((arg) => arg.startsWith(options.marker)) ?? "";
      (workloads[w.node] ??= []).push(tag);
    }
    for (const tags of Object.values(workloads)) tags.sort();
    const unavailableNodes = options.nodes.filter((node) => !pods.some((p) => p.node === node && isAvailable(p, options.minReadySeconds, at)));
    const nodesWithoutWorkload = options.nodes.filter((node) => !workloads[node]?.length);
    let status: Record<string, number> | undefined;
    if (options.daemonSet) {
      const ds = await cp.api("GET", `/apis/apps/v1/namespaces/${namespace}/daemonsets/${options.daemonSet}`, undefined, { timeoutMs: 3000 });
      if (ds.status === 200) status = ds.json().status;
    }
    const key = JSON.stringify([pods, unavailableNodes, workloads, status]);
    if (key === lastKey) return;
    lastKey = key;
    recorded.push({ at, pods, unavailableNodes, workloads, nodesWithoutWorkload, ...(status ? { status } : {}) });
  };

  const loop = (async () => {
    while (running) {
      try {
        await poll();
      } catch {
        failed++;
      }
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
    }
  })();

  return {
    states: () => recorded,
    failures: () => failed,
    async stop() {
      running = false;
      await loop;
      return recorded;
    },
  };
}

/** A one-line summary per state, for failure messages. */
export function describeStates(states: readonly ObservedState[]): string {
  const start = states[0]?.at ?? 0;
  return states
    .map((s) => {
      const pods = s.pods.map((p) => `${p.node}:${p.hash.slice(0, 4)}${p.deleting ? "-del" : p.ready ? "+R" : `-${p.phase}`}`).join(" ");
      return `${((s.at - start) / 1000).toFixed(1)}s unavailable=[${s.unavailableNodes.join(",")}] ${pods}`;
    })
    .join("\n");
}

/** DaemonSets, pods, recent events and each agent's last log lines: printed when a test fails. */
export async function dumpState(cp: ControlPlane, agents: readonly { nodeName: string; output: () => string }[]): Promise<string> {
  const ds = (await cp.api("GET", "/apis/apps/v1/namespaces/default/daemonsets")).json().items.map((d: any) => `${d.metadata.name} gen=${d.metadata.generation} ${JSON.stringify(d.status)}`);
  const pods = (await cp.api("GET", "/api/v1/namespaces/default/pods")).json().items.map(
    (p: any) => `${p.metadata.name} ${p.spec.nodeName} ${p.metadata.labels?.["controller-revision-hash"]} ${p.status?.phase} ${p.metadata.deletionTimestamp ? "deleting" : ""}`,
  );
  const events = (await cp.api("GET", "/api/v1/namespaces/default/events")).json().items.slice(-20).map((e: any) => `${e.reason}: ${e.message}`);
  const logs = agents.map((a) => `--- ${a.nodeName}\n${a.output().split("\n").slice(-12).join("\n")}`);
  return [...ds, ...pods, ...events, ...logs].join("\n");
}
