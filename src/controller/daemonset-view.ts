/**
 * @module
 * A DaemonSet controller's own view of its nodes and pods, as a Kubernetes informer cache is:
 * loaded whole once (a full resync), then kept current by the changes the controller is told
 * about (`Changes`: node names, pod names), so a pass after one node's change reads that node and
 * its pods, not the fleet. Held in the Durable Object's memory only: a restarted object has no
 * view and starts with a full resync, and so does every pass once the view is older than the
 * resync period, so correctness never rests on the deltas alone.
 *
 * Pure: the shell reads from D1 and hands the rows in.
 *
 * @example
 * const changes = new Changes(); changes.addNodes(["edge-7"]);
 * const wanted = changes.take();                 // { full: false, nodes: ["edge-7"], pods: [], elsewhere: false }
 * view.applyNodes(wanted.nodes, nodesRead, podsRead);
 * planDaemonSet({ ds, nodes: view.nodeList(), pods: view.podList(), ... });
 */
import type { Node, Pod } from "../resources/types.ts";
import { controllerOf } from "../store/rows.ts";
import { getTargetNodeName } from "./planner/pod-util.ts";

/** What changed since the last pass; `full` when the poker could not say (or a resync is due). */
export interface ChangeSet {
  full: boolean;
  nodes: string[];
  pods: string[];
  /** Pods of others that pod (anti-)affinity judges came or went: the scheduling world is re-read. */
  elsewhere: boolean;
}

/**
 * Changes recorded between passes (synchronously, by every poke), taken whole by the next pass: a
 * burst of pokes becomes one pass over their union.
 */
export class Changes {
  constructor(saved?: ChangeSet) {
    if (saved) this.restore(saved);
  }

  private full = false;
  private elsewhere = false;
  private readonly nodes = new Set<string>();
  private readonly pods = new Set<string>();

  addAll(): void {
    this.full = true;
  }

  addElsewhere(): void {
    this.elsewhere = true;
  }

  addNodes(names: Iterable<string>): void {
    for (const name of names) if (name) this.nodes.add(name);
  }

  addPods(names: Iterable<string>): void {
    for (const name of names) if (name) this.pods.add(name);
  }

  get empty(): boolean {
    return !this.full && !this.elsewhere && this.nodes.size === 0 && this.pods.size === 0;
  }

  /** What is recorded, without taking it (to persist it). */
  snapshot(): ChangeSet {
    return { full: this.full, nodes: [...this.nodes], pods: [...this.pods], elsewhere: this.elsewhere };
  }

  take(): ChangeSet {
    const taken = { full: this.full, nodes: [...this.nodes], pods: [...this.pods], elsewhere: this.elsewhere };
    this.full = false;
    this.elsewhere = false;
    this.nodes.clear();
    this.pods.clear();
    return taken;
  }

  /** Puts back what a pass took but could not finish (its reads failed). */
  restore(taken: ChangeSet): void {
    if (taken.full) this.full = true;
    if (taken.elsewhere) this.elsewhere = true;
    this.addNodes(taken.nodes);
    this.addPods(taken.pods);
  }
}

export class DaemonSetView {
  private readonly nodes = new Map<string, Node>();
  private readonly pods = new Map<string, Pod>();
  /**
   * When this view first read each pod Ready since its current transition: stored transition
   * times are whole seconds, so this is what bounds the real moment from above.
   */
  private readonly readySeen = new Map<string, { transition: string; at: number }>();
  /** Pod names by the node they are bound to. */
  private readonly podsByNode = new Map<string, Set<string>>();
  /** Pod names by the node they are bound to or aimed at (the planner's `getTargetNodeName`); "" for none. */
  private readonly podsByTarget = new Map<string, Set<string>>();
  /** `[...nodes.values()]`, rebuilt only when a node changed. */
  private nodeArray: Node[] | undefined;

  /**
   * @param uid the DaemonSet this view is for; pods controlled by anything else are not kept.
   * @param loadedAt when the last full load happened (ms).
   * @param seenAt when these pods were read (ms): a view taken from storage was read now.
   */
  readonly uid: string;
  readonly namespace: string;
  readonly loadedAt: number;

  // No parameter properties: Node runs this module by stripping types (bench/one-node-pass.ts).
  constructor(uid: string, namespace: string, loadedAt: number, nodes: readonly Node[], pods: readonly Pod[], seenAt = loadedAt) {
    this.uid = uid;
    this.namespace = namespace;
    this.loadedAt = loadedAt;
    for (const node of nodes) this.nodes.set(node.metadata.name ?? "", node);
    for (const pod of pods) this.putPod(pod, seenAt);
  }

  get nodeCount(): number {
    return this.nodes.size;
  }

  get podCount(): number {
    return this.pods.size;
  }

  nodeList(): readonly Node[] {
    this.nodeArray ??= [...this.nodes.values()];
    return this.nodeArray;
  }

  podList(): Pod[] {
    return [...this.pods.values()];
  }

  /** The pods bound to or aimed at node `name` ("" for pods aimed at no node). */
  podsTargeting(name: string): Pod[] {
    return [...(this.podsByTarget.get(name) ?? [])].flatMap((pod) => this.pods.get(pod) ?? []);
  }

  node(name: string): Node | undefined {
    return this.nodes.get(name);
  }

  pod(name: string): Pod | undefined {
    return this.pods.get(name);
  }

  /**
   * These nodes were re-read: `found` are those that exist, `podsOnThem` every pod bound to them
   * (any namespace, any owner; this view keeps its own and orphans of its namespace).
   */
  applyNodes(names: readonly string[], found: readonly Node[], podsOnThem: readonly Pod[], readAt: number): { pods: string[] } {
    const wanted = new Set(names);
    const touched = new Set<string>();
    for (const name of wanted) this.nodes.delete(name);
    for (const node of found) if (wanted.has(node.metadata.name ?? "")) this.nodes.set(node.metadata.name ?? "", node);
    this.nodeArray = undefined;
    for (const name of wanted) {
      for (const pod of [...(this.podsByNode.get(name) ?? [])]) {
        touched.add(pod);
        this.deletePod(pod);
      }
    }
    for (const pod of podsOnThem) {
      if (!pod.spec.nodeName || !wanted.has(pod.spec.nodeName)) continue;
      touched.add(pod.metadata.name ?? "");
      this.putPod(pod, readAt);
    }
    return { pods: [...touched] };
  }

  /**
   * These pods (of this namespace) were re-read: `found` are those that exist. Returns the node
   * names they target, before and after (what a pass over the changed nodes must plan).
   */
  applyPods(names: readonly string[], found: readonly Pod[], readAt: number): { targets: string[] } {
    const wanted = new Set(names);
    const targets = new Set<string>();
    const byName = new Map(found.filter((pod) => wanted.has(pod.metadata.name ?? "")).map((pod) => [pod.metadata.name ?? "", pod]));
    for (const name of wanted) {
      const before = this.pods.get(name);
      if (before) targets.add(getTargetNodeName(before) ?? "");
      const pod = byName.get(name);
      if (pod) {
        targets.add(getTargetNodeName(pod) ?? "");
        this.putPod(pod, readAt);
      } else this.deletePod(name);
    }
    return { targets: [...targets] };
  }

  /**
   * The earliest moment the pod can really have turned Ready: its stored transition time is cut
   * to the second, so not before this view first saw it Ready, nor after the end of that second.
   */
  readySince(pod: Pod): number | undefined {
    const transition = readyTransition(pod);
    if (transition === undefined) return undefined;
    const stored = Date.parse(transition);
    if (Number.isNaN(stored)) return undefined;
    const seen = this.readySeen.get(pod.metadata.name ?? "");
    const endOfSecond = stored + 999;
    return seen?.transition === transition ? Math.min(seen.at, endOfSecond) : endOfSecond;
  }

  private putPod(pod: Pod, readAt: number): void {
    if ((pod.metadata.namespace ?? "default") !== this.namespace) return;
    const name = pod.metadata.name ?? "";
    const seen = this.readySeen.get(name);
    this.deletePod(name);
    const transition = readyTransition(pod);
    if (transition !== undefined) this.readySeen.set(name, seen?.transition === transition ? seen : { transition, at: readAt });
    const owner = controllerOf(pod);
    if (owner && owner.uid !== this.uid) return;
    this.pods.set(name, pod);
    const target = getTargetNodeName(pod) ?? "";
    let aimed = this.podsByTarget.get(target);
    if (!aimed) this.podsByTarget.set(target, (aimed = new Set()));
    aimed.add(name);
    const node = pod.spec.nodeName;
    if (!node) return;
    let names = this.podsByNode.get(node);
    if (!names) this.podsByNode.set(node, (names = new Set()));
    names.add(name);
  }

  private deletePod(name: string): void {
    const pod = this.pods.get(name);
    const node = pod?.spec.nodeName;
    if (pod) {
      const target = getTargetNodeName(pod) ?? "";
      const aimed = this.podsByTarget.get(target);
      aimed?.delete(name);
      if (aimed?.size === 0) this.podsByTarget.delete(target);
    }
    this.pods.delete(name);
    this.readySeen.delete(name);
    if (!node) return;
    const names = this.podsByNode.get(node);
    names?.delete(name);
    if (names?.size === 0) this.podsByNode.delete(node);
  }
}

/** The Ready condition's transition time, when the pod is Ready. */
function readyTransition(pod: Pod): string | undefined {
  const ready = pod.status?.conditions?.find((c) => c.type === "Ready");
  return ready?.status === "True" ? (ready.lastTransitionTime ?? undefined) : undefined;
}
