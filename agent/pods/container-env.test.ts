import { describe, expect, it } from "vitest";
import type { ConfigMap, Container, Pod, Secret } from "../../src/resources/types.ts";
import { type ConfigSource, expandCommand, makeContainerEnvironment } from "./container-env.ts";
import type { PodFacts } from "./downward-api.ts";

const b64 = (text: string) => Buffer.from(text).toString("base64");

const configMaps: ConfigMap[] = [
  { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "app", namespace: "shop" }, data: { level: "debug", URL: "http://x" } },
];
const secrets: Secret[] = [
  { apiVersion: "v1", kind: "Secret", metadata: { name: "creds", namespace: "shop" }, data: { password: b64("s3cr3t"), user: b64("ada") } },
];
const config: ConfigSource = {
  configMap: (ns, name) => configMaps.find((c) => c.metadata.namespace === ns && c.metadata.name === name),
  secret: (ns, name) => secrets.find((s) => s.metadata.namespace === ns && s.metadata.name === name),
};
const facts: PodFacts = { nodeName: "edge-1", hostIP: "10.0.0.5", nodeAllocatable: { cpu: "4", memory: "2Gi" } };

function podWith(container: Partial<Container>): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "agent-x1", namespace: "shop", uid: "u-1", labels: { app: "fluent", tier: "edge" }, annotations: { note: "hi" } },
    spec: { nodeName: "edge-1", serviceAccountName: "logger", containers: [{ name: "main", command: ["run"], ...container }] },
  };
}

function envOf(container: Partial<Container>) {
  const pod = podWith(container);
  return makeContainerEnvironment(pod, pod.spec.containers[0], config, facts);
}

describe("makeContainerEnvironment", () => {
  it.each<{ name: string; container: Partial<Container>; want: Record<string, string> }>([
    {
      name: "plain values, with $(VAR) against the variables before them",
      container: { env: [{ name: "A", value: "$(B)" }, { name: "B", value: "2" }, { name: "C", value: "x$(B)$$(B)" }, { name: "EMPTY" }] },
      want: { A: "$(B)", B: "2", C: "x2$(B)", EMPTY: "" },
    },
    {
      name: "the downward API",
      container: {
        env: [
          { name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
          { name: "NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
          { name: "NS", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
          { name: "UID", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.uid" } } },
          { name: "APP", valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
          { name: "NONE", valueFrom: { fieldRef: { fieldPath: "metadata.labels['missing']" } } },
          { name: "NOTE", valueFrom: { fieldRef: { fieldPath: "metadata.annotations['note']" } } },
          { name: "HOST_IP", valueFrom: { fieldRef: { fieldPath: "status.hostIP" } } },
          { name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
          { name: "SA", valueFrom: { fieldRef: { fieldPath: "spec.serviceAccountName" } } },
          { name: "LABELS", valueFrom: { fieldRef: { fieldPath: "metadata.labels" } } },
        ],
      },
      want: {
        NODE: "edge-1",
        NAME: "agent-x1",
        NS: "shop",
        UID: "u-1",
        APP: "fluent",
        NONE: "",
        NOTE: "hi",
        HOST_IP: "10.0.0.5",
        POD_IP: "10.0.0.5",
        SA: "logger",
        LABELS: 'app="fluent"\ntier="edge"',
      },
    },
    {
      name: "resourceFieldRef, rounded up, unset limits from the node's allocatable",
      container: {
        resources: { limits: { memory: "100Mi", cpu: "250m" }, requests: { cpu: "100m" } },
        env: [
          { name: "MEM_MI", valueFrom: { resourceFieldRef: { resource: "limits.memory", divisor: "1Mi" } } },
          { name: "MEM", valueFrom: { resourceFieldRef: { resource: "limits.memory" } } },
          { name: "CPU", valueFrom: { resourceFieldRef: { resource: "limits.cpu" } } },
          { name: "CPU_M", valueFrom: { resourceFieldRef: { resource: "limits.cpu", divisor: "1m" } } },
          { name: "REQ_CPU_M", valueFrom: { resourceFieldRef: { resource: "requests.cpu", divisor: "1m" } } },
          { name: "REQ_MEM", valueFrom: { resourceFieldRef: { resource: "requests.memory" } } },
        ],
      },
      want: { MEM_MI: "100", MEM: "104857600", CPU: "1", CPU_M: "250", REQ_CPU_M: "100", REQ_MEM: "0" },
    },
    {
      name: "limits the container does not set are the node's",
      container: { env: [{ name: "CPU", valueFrom: { resourceFieldRef: { resource: "limits.cpu" } } }, { name: "MEM", valueFrom: { resourceFieldRef: { resource: "limits.memory", divisor: "1Gi" } } }] },
      want: { CPU: "4", MEM: "2" },
    },
    {
      name: "configMapKeyRef and secretKeyRef (decoded), optional misses skipped",
      container: {
        env: [
          { name: "LEVEL", valueFrom: { configMapKeyRef: { name: "app", key: "level" } } },
          { name: "PASSWORD", valueFrom: { secretKeyRef: { name: "creds", key: "password" } } },
          { name: "OPT_KEY", valueFrom: { configMapKeyRef: { name: "app", key: "nope", optional: true } } },
          { name: "OPT_MAP", valueFrom: { configMapKeyRef: { name: "nope", key: "k", optional: true } } },
          { name: "OPT_SECRET", valueFrom: { secretKeyRef: { name: "nope", key: "k", optional: true } } },
        ],
      },
      want: { LEVEL: "debug", PASSWORD: "s3cr3t" },
    },
    {
      name: "envFrom with prefix, env wins over it and can expand what it brought",
      container: {
        envFrom: [{ configMapRef: { name: "app" }, prefix: "CFG_" }, { secretRef: { name: "creds" } }, { configMapRef: { name: "gone", optional: true } }],
        env: [{ name: "user", value: "override" }, { name: "LINK", value: "$(CFG_URL)/x" }],
      },
      want: { CFG_level: "debug", CFG_URL: "http://x", password: "s3cr3t", user: "override", LINK: "http://x/x" },
    },
  ])("$name", ({ container, want }) => {
    expect(envOf(container)).toEqual({ env: want });
  });

  it.each<{ name: string; container: Partial<Container>; error: string }>([
    {
      name: "a missing ConfigMap key",
      container: { env: [{ name: "X", valueFrom: { configMapKeyRef: { name: "app", key: "color" } } }] },
      error: "couldn't find key color in ConfigMap shop/app",
    },
    {
      name: "a missing Secret key",
      container: { env: [{ name: "X", valueFrom: { secretKeyRef: { name: "creds", key: "token" } } }] },
      error: "couldn't find key token in Secret shop/creds",
    },
    {
      name: "a missing ConfigMap",
      container: { env: [{ name: "X", valueFrom: { configMapKeyRef: { name: "other", key: "k" } } }] },
      error: 'configmap "other" not found',
    },
    { name: "a missing envFrom Secret", container: { envFrom: [{ secretRef: { name: "vault" } }] }, error: 'secret "vault" not found' },
    {
      name: "an unsupported field",
      container: { env: [{ name: "X", valueFrom: { fieldRef: { fieldPath: "spec.hostname" } } }] },
      error: "field label not supported: spec.hostname",
    },
    {
      name: "an unsupported resource",
      container: { env: [{ name: "X", valueFrom: { resourceFieldRef: { resource: "limits.gpu" } } }] },
      error: "unsupported container resource : limits.gpu",
    },
  ])("fails on $name", ({ container, error }) => {
    expect(envOf(container)).toEqual({ error });
  });
});

describe("expandCommand", () => {
  it.each([
    { container: { name: "c", command: ["sh", "-c"], args: ["echo $(A) $(NOPE)"] }, want: ["sh", "-c", "echo 1 $(NOPE)"] },
    { container: { name: "c", command: ["$(A)"] }, want: ["1"] },
    { container: { name: "c", image: "nginx" }, want: undefined },
    { container: { name: "c", args: ["x"] }, want: undefined },
    { container: { name: "c", command: [] }, want: undefined },
  ])("$container.command $container.args", ({ container, want }) => {
    expect(expandCommand(container, { A: "1" })).toEqual(want);
  });
});
