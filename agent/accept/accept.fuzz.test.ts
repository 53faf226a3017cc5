/**
 * Property-based fuzz of what the agent reads from outside: the sync answer and the saved state.
 * Valid objects are mutated structurally (a null, a wrong type, deep nesting, a huge number, a
 * `__proto__` key, a path with `..` at a random place in the tree), and nothing the agent does
 * with them may throw: acceptance, then everything that reads the accepted pods (the sync report,
 * volume payloads, environments, the ConfigMap/Secret store), and the saved-state loader.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import type { SyncResponse } from "../../src/protocol/agent.ts";
import { Agent } from "../agent.ts";
import type { AgentConfig } from "../cli/flags.ts";
import { makeContainerEnvironment } from "../pods/container-env.ts";
import { ConfigStore } from "../state/config-store.ts";
import { StateStore } from "../state/state-store.ts";
import { missingConfig, absentConfig } from "../sync/missing-config.ts";
import { buildSyncRequest, serializeSyncRequest } from "../sync/sync-request.ts";
import { FakeRuntime } from "../testing/fake-runtime.ts";
import { makeVolumePayload } from "../volumes/volume-payload.ts";
import { acceptStoredAssignments, acceptSyncResponse } from "./accept-assignments.ts";
import { mutate, mutations } from "../testing/json-mutations.ts";

const dir = mkdtempSync(join(tmpdir(), "edgeset-fuzz-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const facts = { nodeName: "edge-1", hostIP: "10.0.0.2", nodeAllocatable: { cpu: "2", memory: "1Gi" } };

/** A sync answer using every part of a pod the agent reads. */
function validResponse(): SyncResponse {
  return JSON.parse(
    JSON.stringify({
      version: "v7",
      syncIntervalSeconds: 10,
      pods: [
        {
          apiVersion: "v1",
          kind: "Pod",
          metadata: { name: "web", namespace: "default", uid: "u-web", labels: { app: "web" }, annotations: { a: "b" } },
          spec: {
            restartPolicy: "Always",
            terminationGracePeriodSeconds: 5,
            volumes: [
              { name: "cfg", configMap: { name: "app", items: [{ key: "a", path: "conf/a.txt", mode: 0o600 }] } },
              { name: "sec", secret: { secretName: "creds", defaultMode: 0o400 } },
              { name: "proj", projected: { sources: [{ configMap: { name: "app" } }, { downwardAPI: { items: [{ path: "labels", fieldRef: { fieldPath: "metadata.labels" } }] } }] } },
              { name: "scratch", emptyDir: {} },
            ],
            containers: [
              {
                name: "main",
                image: "nginx:1.27",
                command: ["sh", "-c", "echo $(A)"],
                env: [
                  { name: "A", value: "1" },
                  { name: "B", valueFrom: { configMapKeyRef: { name: "app", key: "a" } } },
                  { name: "C", valueFrom: { secretKeyRef: { name: "creds", key: "p" } } },
                  { name: "D", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
                  { name: "E", valueFrom: { resourceFieldRef: { resource: "limits.cpu", divisor: "1m" } } },
                ],
                envFrom: [{ configMapRef: { name: "app" }, prefix: "CM_" }],
                volumeMounts: [
                  { name: "cfg", mountPath: "/etc/app", subPath: "conf" },
                  { name: "scratch", mountPath: "/tmp/s" },
                ],
                resources: { limits: { cpu: "500m", memory: "64Mi" } },
                readinessProbe: { httpGet: { path: "/", port: 80 }, periodSeconds: 5 },
              },
            ],
          },
        },
      ],
      configMaps: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "app", namespace: "default" }, data: { a: "x", b: "y" }, binaryData: { c: "AAE=" } }],
      secrets: [{ apiVersion: "v1", kind: "Secret", metadata: { name: "creds", namespace: "default" }, type: "Opaque", data: { p: "cGFzcw==" } }],
    }),
  ) as SyncResponse;
}


/** What the agent does with an accepted answer, short of starting processes. */
function useAccepted(response: SyncResponse): void {
  const config = new ConfigStore();
  config.replace(response.configMaps ?? [], response.secrets ?? []);
  for (const pod of response.pods) {
    for (const volume of pod.spec.volumes ?? []) makeVolumePayload(pod, volume, config, facts);
    for (const container of pod.spec.containers) makeContainerEnvironment(pod, container, config, facts);
  }
  absentConfig(response.pods, response.configMaps ?? [], response.secrets ?? []);
  missingConfig(response.pods, config, new Set());
  serializeSyncRequest(buildSyncRequest({ node: {}, assigned: response.pods, running: [], hostIP: "10.0.0.2" }));
  JSON.stringify(response);
}

describe("the sync answer, mutated", () => {
  it("is accepted or refused, never thrown, and what is accepted can be used", () => {
    fc.assert(
      fc.property(mutations, (m) => {
        const mutated = mutate(validResponse(), m);
        const accepted = acceptSyncResponse(JSON.parse(JSON.stringify(mutated) ?? "null"));
        if (accepted.value) useAccepted(accepted.value);
        // Objects straight from the mutator too (own __proto__ keys, undefined members).
        const direct = acceptSyncResponse(mutated);
        if (direct.value) useAccepted(direct.value);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  }, 60_000);

  it("keeps a ConfigMap key named __proto__ as data", () => {
    const response = validResponse();
    response.configMaps = [JSON.parse('{"metadata":{"name":"app"},"data":{"__proto__":"v","a":null}}')];
    const accepted = acceptSyncResponse(response);
    expect(Object.keys(accepted.value!.configMaps![0].data!)).toEqual(["__proto__"]);
    expect(accepted.problems).toEqual(["ConfigMap default/app: data[a]: Invalid value: null: must be a string"]);
  });

  it("refuses nesting far deeper than any pod before recursing into it", () => {
    const text = `{"version":"v1","pods":[{"metadata":{"name":"deep","uid":"u1"},"spec":{"containers":[{"name":"c","x":${"[".repeat(100_000)}${"]".repeat(100_000)}}]}}],"configMaps":[{"metadata":{"name":"m"},"data":${"{\"a\":".repeat(50_000)}1${"}".repeat(50_000)}}]}`;
    const accepted = acceptSyncResponse(JSON.parse(text));
    expect(accepted.value?.pods).toEqual([]);
    expect(accepted.refused).toEqual([expect.objectContaining({ name: "deep", message: "Invalid value: nested too deeply" })]);
    expect(accepted.problems).toContain("ConfigMap default/m: data[a]: Invalid value: object: must be a string");
  });

  it("never throws on any JSON value", () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => void acceptSyncResponse(value)), { numRuns: 1000 });
  });
});

describe("the saved assignments, mutated or corrupt", () => {
  it("load without throwing", () => {
    const base = (({ version, pods, configMaps }) => ({ version, pods, configMaps, syncIntervalSeconds: 3 }))(validResponse());
    fc.assert(
      fc.property(mutations, fc.option(fc.string({ maxLength: 64 })), (m, garbage) => {
        writeFileSync(join(dir, "assignments.json"), garbage ?? JSON.stringify(mutate(base, m)) ?? "");
        const loaded = new StateStore(dir).loadAssignments();
        for (const pod of loaded.value?.pods ?? []) for (const c of pod.spec.containers) makeContainerEnvironment(pod, c, new ConfigStore(), facts);
      }),
      { numRuns: 1000 },
    );
    expect(acceptStoredAssignments(undefined)).toEqual({ refused: [], problems: [] });
  }, 60_000);
});

describe("the agent, answered with mutated assignments", () => {
  it("runs the valid pod beside whatever else the answer holds", async () => {
    const sentinel = { metadata: { name: "keep", namespace: "default", uid: "u-keep" }, spec: { containers: [{ name: "c" }] } };
    await fc.assert(
      fc.asyncProperty(mutations, async (m) => {
        const mutated = (mutate(validResponse(), m) ?? {}) as Record<string, unknown>;
        const response = { ...mutated, version: "v9", pods: [...(Array.isArray(mutated.pods) ? mutated.pods : [mutated.pods]), sentinel] } as SyncResponse;
        const state = mkdtempSync(join(dir, "agent-"));
        const runtime = new FakeRuntime("process");
        const logs: string[] = [];
        const config: AgentConfig = { server: "https://cp.invalid/", bootstrapToken: "t", nodeName: "edge-1", labels: {}, stateDir: state, syncIntervalSeconds: 3600, runtime: "process", stopPodsOnExit: false };
        let answered!: () => void;
        const done = new Promise<void>((resolve) => (answered = resolve));
        const agent = new Agent({
          config,
          runtime,
          store: new StateStore(state),
          client: {
            enroll: async () => ({ kind: "enrolled", response: { nodeName: "edge-1", credential: "c", syncIntervalSeconds: 3600 } }),
            sync: async () => {
              setImmediate(answered);
              return { kind: "assignments", response };
            },
          },
          log: (line) => logs.push(line),
          readNodeReport: () => ({}),
          random: () => 0.5,
        });
        await agent.start();
        await done;
        await agent.stop(false);
        expect(logs.filter((l) => l.includes("sync failed"))).toEqual([]);
        expect(runtime.calls).toContain("syncPod keep");
        rmSync(state, { recursive: true, force: true });
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});
