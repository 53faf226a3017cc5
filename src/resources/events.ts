/**
 * @module
 * Kubernetes Events (core/v1) as the controllers record them: named `<object>.<hex time>`, with
 * the involved object's reference, a reason, a message and the reporting component.
 *
 * @example
 * newEvent(ds, "Normal", "SuccessfulCreate", "Created pod: web-x7k2p", "daemonset-controller", now)
 */
import { rfc3339 } from "./meta.ts";
import type { Event, KubeObject } from "./types.ts";

export interface EventInput {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
}

export function newEvent(involved: KubeObject, input: EventInput, component: string, now: number, uid: string): Event {
  const namespace = involved.metadata.namespace || "default";
  const time = rfc3339(now);
  return {
    apiVersion: "v1",
    kind: "Event",
    metadata: {
      name: `${involved.metadata.name}.${(now * 1_000_000 + Math.floor(Math.random() * 1_000_000)).toString(16)}`,
      namespace,
      uid,
      creationTimestamp: time,
    },
    involvedObject: {
      apiVersion: involved.apiVersion,
      kind: involved.kind,
      name: involved.metadata.name,
      namespace: involved.metadata.namespace ?? "",
      uid: involved.metadata.uid,
      resourceVersion: involved.metadata.resourceVersion,
    },
    reason: input.reason,
    message: input.message,
    source: { component },
    firstTimestamp: time,
    lastTimestamp: time,
    count: 1,
    type: input.type,
    eventTime: null,
    reportingComponent: component,
    reportingInstance: "",
  };
}
