/**
 * A fake fleet for the DaemonSet controller's Worker tests: nodes enrolled through the real agent
 * API, whose `sync()` does what a real agent does in one round (report every assigned pod Running
 * and Ready, or as the test says; confirm terminated the pods that carry a deletionTimestamp) and
 * keeps the assignments it gets back. The controller is driven deterministically with
 * `reconcileNow`, its alarm with `runDurableObjectAlarm`.
 *
 * @example
 * const fleet = await newFleet(3, { site });
 * await createDaemonSet(rollingDaemonSet(name, site, "v1"));
 * await fleet.settle(name);        // pods created, reported Ready, status written
 */
import { env } from "cloudflare:workers";
import type { Pod, PodStatus } from "../../src/resources/types.ts";
import type { DaemonSet, DaemonSetSpec } from "../../src/resources/k8s-types.ts";
import { daemonSet } from "../support/manifests.ts";
import { call, json, unique } from "./helpers.ts";

export const controllerOf = (name: string) => env.DAEMONSET_CONTROLLER.getByName(`default/${name}`);
export const reconcile = (name: string) => controllerOf(name).reconcileNow({ namespace: "default", name });

const readyStatus = (): PodStatus => ({
  phase: "Running",
  conditions: [
    { type: "Ready", status: "True" },
    { type: "ContainersReady", status: "True" },
  ],
});

export class FakeNode {
  readonly name: string;
  readonly credential: string;
  /** Assigned pods by uid, as last received. */
  pods = new Map<string, Pod>();
  /** The status reported for a pod; Running and Ready unless the test says otherwise. */
  statusOf: (pod: Pod) => PodStatus = readyStatus;
  version: string | undefined;
  /** The node part of the report (conditions, e.g. an update deferral); empty unless the test says. */
  nodeReport: Record<string, unknown> = {};
  /** The HTTP status of the last sync, and the ConfigMaps its last full answer carried. */
  lastStatus = 0;
  configMaps: { metadata: { name?: string } }[] = [];

  constructor(name: string, credential: string) {
    this.name = name;
    this.credential = credential;
  }

  /** One sync round: report, confirm terminations, take the assignments. */
  async sync(): Promise<void> {
    const live = [...this.pods.values()].filter((p) => !p.metadata.deletionTimestamp);
    const body = {
      node: this.nodeReport,
      pods: live.map((p) => ({ namespace: p.metadata.namespace, name: p.metadata.name, uid: p.metadata.uid, status: this.statusOf(p) })),
      terminated: [...this.pods.values()].filter((p) => p.metadata.deletionTimestamp).map((p) => p.metadata.uid),
    };
    const res = await call("POST", "/agent/v1/sync", body, { token: this.credential, headers: this.version ? { "If-None-Match": this.version } : {} });
    this.lastStatus = res.status;
    if (res.status === 304) return;
    if (res.status !== 200) throw new Error(`sync ${this.name}: ${res.status} ${await res.text()}`);
    const answer = await json(res);
    this.version = answer.version;
    this.pods = new Map((answer.pods as Pod[]).map((p) => [p.metadata.uid ?? "", p]));
    this.configMaps = answer.configMaps ?? [];
  }
}

export interface Fleet {
  nodes: FakeNode[];
  /** Every node syncs once. */
  sync(): Promise<void>;
  /** Reconcile and sync until nothing moves (at most `rounds` times). */
  settle(name: string, rounds?: number): Promise<void>;
  /** Sync and reconcile, one round at a time, until `done` holds for the DaemonSet's pods. */
  until(name: string, done: (pods: Pod[]) => boolean, rounds?: number): Promise<Pod[]>;
}

export async function newFleet(count: number, labels: Record<string, string>): Promise<Fleet> {
  const nodes: FakeNode[] = [];
  for (let i = 0; i < count; i++) {
    const token = (await json(await call("POST", "/edgeset/v1/bootstraptokens", { ttlSeconds: 600 }))).token;
    const nodeName = unique(`node-${i}`);
    const res = await call("POST", "/agent/v1/enroll", { nodeName, labels }, { token });
    if (res.status !== 201) throw new Error(`enroll: ${res.status} ${await res.text()}`);
    nodes.push(new FakeNode(nodeName, (await json(res)).credential));
  }
  const fleet: Fleet = {
    nodes,
    sync: async () => {
      for (const node of nodes) await node.sync();
    },
    async settle(name, rounds = 4) {
      for (let i = 0; i < rounds; i++) {
        await reconcile(name);
        await fleet.sync();
      }
      await reconcile(name);
    },
    async until(name, done, rounds = 10) {
      for (let i = 0; i < rounds; i++) {
        const pods = await podsOf(name);
        if (done(pods)) return pods;
        await fleet.sync();
        await reconcile(name);
      }
      throw new Error(`${name}: not reached in ${rounds} rounds: ${JSON.stringify((await podsOf(name)).map((p) => [p.spec.nodeName, imageOf(p), p.metadata.deletionTimestamp ?? "", p.status?.phase]))}`);
    },
  };
  await fleet.sync();
  return fleet;
}

export function rollingDaemonSet(name: string, site: string, version: string, spec: Partial<DaemonSetSpec> = {}): DaemonSet {
  return daemonSet({ name, image: `busybox:${version}`, nodeSelector: { site }, spec: { updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } }, ...spec } });
}

export async function createDaemonSet(manifest: DaemonSet): Promise<void> {
  const res = await call("POST", "/apis/apps/v1/namespaces/default/daemonsets", manifest);
  if (res.status !== 201) throw new Error(`create: ${res.status} ${await res.text()}`);
}

export const setImage = (name: string, version: string) =>
  call("PATCH", `/apis/apps/v1/namespaces/default/daemonsets/${name}`, { spec: { template: { spec: { containers: [{ name: "main", image: `busybox:${version}`, command: ["sleep", "3600"] }] } } } }, { contentType: "application/merge-patch+json" });

export async function podsOf(name: string): Promise<Pod[]> {
  return (await json(await call("GET", `/api/v1/namespaces/default/pods?labelSelector=app%3D${name}`))).items;
}

export async function getDaemonSet(name: string): Promise<any> {
  return json(await call("GET", `/apis/apps/v1/namespaces/default/daemonsets/${name}`));
}

export async function revisionsOf(name: string): Promise<any[]> {
  const items = (await json(await call("GET", `/apis/apps/v1/namespaces/default/controllerrevisions?labelSelector=app%3D${name}`))).items as any[];
  return items.sort((a, b) => a.revision - b.revision);
}

export async function eventsOf(name: string): Promise<any[]> {
  const selector = encodeURIComponent(`involvedObject.kind=DaemonSet,involvedObject.name=${name}`);
  return (await json(await call("GET", `/api/v1/namespaces/default/events?fieldSelector=${selector}`))).items;
}

/** Pods the Events of `reason` stand for: one Event per reason per pass carries their count. */
export const countedEvents = (events: readonly { reason?: string; count?: number }[], reason: string): number =>
  events.filter((e) => e.reason === reason).reduce((n, e) => n + (e.count ?? 1), 0);

export const imageOf = (pod: Pod) => pod.spec.containers[0]?.image;
export const deleting = (pods: Pod[]) => pods.filter((p) => p.metadata.deletionTimestamp);
