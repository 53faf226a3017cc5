/**
 * @module
 * Small builders for scheduling tests: nodes, DaemonSets and pods with only the fields that
 * matter, named like the Kubernetes daemon controller tests (`simple-daemon`, L1 labels).
 *
 * @example
 * const placement = nodeShouldRunDaemonPod(node("node-4", L1), ds({ nodeSelector: L1 }));
 */

import type { DaemonSet, Labels, Node, NodeCondition, Pod, PodSpec, Taint } from "../resources/types.ts";

/** The daemon controller tests' `simpleNodeLabel`. */
export const L1: Labels = { color: "blue", speed: "fast" };
/** The daemon controller tests' `simpleDaemonSetLabel` ("match") and `simpleDaemonSetLabel2` ("other"). */
export const matchLabels: Labels = { name: "simple-daemon", type: "production" };
export const otherLabels: Labels = { name: "simple-daemon", type: "test" };

export function node(
  name: string,
  labels: Labels = {},
  taints: Taint[] = [],
  extra: { unschedulable?: boolean; conditions?: NodeCondition[] } = {},
): Node {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { ...labels } },
    spec: { taints, ...(extra.unschedulable ? { unschedulable: true } : {}) },
    status: { conditions: extra.conditions ?? [{ type: "Ready", status: "True" }] },
  };
}

/** `node-<from>` … `node-<to-1>`, all with `labels`. */
export const nodes = (from: number, to: number, labels: Labels = {}): Node[] =>
  Array.from({ length: to - from }, (_, i) => node(`node-${from + i}`, labels));

export function ds(spec: Partial<PodSpec> = {}, opts: { name?: string; namespace?: string } = {}): DaemonSet {
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: opts.name ?? "foo", namespace: opts.namespace ?? "default" },
    spec: {
      selector: { matchLabels: { ...matchLabels } },
      template: {
        metadata: { labels: { ...matchLabels } },
        spec: { containers: [{ name: "foo", image: "foo/bar" }], ...spec },
      },
    },
  };
}

export function pod(name: string, nodeName: string | undefined, labels: Labels = {}, spec: Partial<PodSpec> = {}, namespace = "default"): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace, labels: { ...labels } },
    spec: { containers: [{ name: "c", image: "busybox" }], ...(nodeName ? { nodeName } : {}), ...spec },
    status: { phase: "Running" },
  };
}

export const taint = (key: string, effect: Taint["effect"], value?: string): Taint => ({ key, effect, ...(value !== undefined ? { value } : {}) });
