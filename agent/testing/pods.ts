/**
 * @module
 * Pod fixtures for the agent's tests.
 *
 * @example
 * makePod("web", { uid: "u1", command: ["sh", "-c", "sleep 100"] })
 */
import type { Container, Pod } from "../../src/resources/types.ts";

export interface PodFixture {
  uid?: string;
  namespace?: string;
  command?: string[];
  containers?: Container[];
  restartPolicy?: "Always" | "OnFailure" | "Never";
  terminationGracePeriodSeconds?: number;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  creationTimestamp?: string;
}

export function makePod(name: string, fixture: PodFixture = {}): Pod {
  const pod: Pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: fixture.namespace ?? "default", uid: fixture.uid ?? `uid-${name}` },
    spec: {
      containers: fixture.containers ?? [{ name: "main", command: fixture.command ?? ["sh", "-c", "sleep 1000"] }],
    },
  };
  if (fixture.restartPolicy) pod.spec.restartPolicy = fixture.restartPolicy;
  if (fixture.terminationGracePeriodSeconds !== undefined) {
    pod.spec.terminationGracePeriodSeconds = fixture.terminationGracePeriodSeconds;
  }
  if (fixture.deletionTimestamp) pod.metadata.deletionTimestamp = fixture.deletionTimestamp;
  if (fixture.deletionGracePeriodSeconds !== undefined) {
    pod.metadata.deletionGracePeriodSeconds = fixture.deletionGracePeriodSeconds;
  }
  if (fixture.creationTimestamp) pod.metadata.creationTimestamp = fixture.creationTimestamp;
  return pod;
}
