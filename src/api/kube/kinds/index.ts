/**
 * @module
 * The strategy of each served resource, looked up by its registry entry.
 */
import { ApiError } from "../../errors.ts";
import { resources, type ResourceInfo } from "../../../resources/registry.ts";
import type { KubeObject } from "../../../resources/types.ts";
import type { KindStrategy } from "../strategy.ts";
import { configMaps, secrets } from "./config.ts";
import { daemonSets } from "./daemonsets.ts";
import { namespaces } from "./namespaces.ts";
import { nodes } from "./nodes.ts";
import { pods } from "./pods.ts";
import { controllerRevisions, events } from "./small-kinds.ts";

const byInfo = new Map<ResourceInfo, KindStrategy>([
  [resources.DaemonSet, daemonSets as KindStrategy],
  [resources.DaemonSetExtensions, daemonSets as KindStrategy],
  [resources.ControllerRevision, controllerRevisions as KindStrategy],
  [resources.Pod, pods as KindStrategy],
  [resources.Node, nodes as KindStrategy],
  [resources.Namespace, namespaces as KindStrategy],
  [resources.Event, events as KindStrategy],
  [resources.ConfigMap, configMaps as KindStrategy],
  [resources.Secret, secrets as KindStrategy],
]);

export function strategyFor(info: ResourceInfo): KindStrategy<KubeObject> {
  const strategy = byInfo.get(info);
  if (!strategy) throw ApiError.noRoute();
  return strategy;
}

/** Every resource with a strategy, in registry order: what discovery and OpenAPI list. */
export const servedResources = (): ResourceInfo[] => [...byInfo.keys()];
