/**
 * Server-side apply for one manager, as `kubectl apply --server-side` drives it: create, change,
 * drop fields, keep what others set, and the managedFields entry it records.
 */
import { describe, expect, it } from "vitest";
import { cloneJson, type JsonObject } from "./json-value.ts";
import { PatchError } from "./patch-error.ts";
import { applyServerSide } from "./server-side-apply.ts";

const t0 = "2025-01-01T00:00:00Z";
const t1 = "2025-01-01T00:05:00Z";
const toleration = { effect: "NoSchedule", key: "node-role.kubernetes.io/control-plane", operator: "Exists" };

/** The manifest kubectl sends: compact JSON with the namespace added. */
const manifest = (edit: (m: any) => void = () => {}): JsonObject => {
  const m = {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "x", namespace: "default", labels: { app: "x", tier: "edge" } },
    spec: {
      selector: { matchLabels: { app: "x" } },
      template: {
        metadata: { labels: { app: "x" } },
        spec: {
          containers: [{ name: "main", image: "nginx:1.25", ports: [{ containerPort: 80 }] }],
          tolerations: [toleration],
        },
      },
    },
  };
  edit(m);
  return m;
};

const mainKey = 'k:{"name":"main"}';
const port80 = 'k:{"containerPort":80,"protocol":"TCP"}';

const manifestFields = {
  "f:metadata": { "f:labels": { "f:app": {}, "f:tier": {} } },
  "f:spec": {
    "f:selector": {},
    "f:template": {
      "f:metadata": { "f:labels": { "f:app": {} } },
      "f:spec": {
        "f:containers": { [mainKey]: { ".": {}, "f:image": {}, "f:name": {}, "f:ports": { [port80]: { ".": {}, "f:containerPort": {} } } } },
        "f:tolerations": {},
      },
    },
  },
};

/** What the store makes of a created object: system fields and defaults added, status written. */
const stored = (object: object): JsonObject => {
  const o = cloneJson(object) as any;
  Object.assign(o.metadata, { uid: "u1", resourceVersion: "5", generation: 1, creationTimestamp: t0 });
  o.spec.template.spec.containers[0].ports[0].protocol = "TCP";
  o.spec.template.spec.containers[0].imagePullPolicy = "IfNotPresent";
  o.spec.updateStrategy = { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } };
  o.spec.revisionHistoryLimit = 10;
  o.status = { desiredNumberScheduled: 2 };
  return o;
};

const created = () => stored(applyServerSide(undefined, manifest(), "kubectl", "DaemonSet", t0));

describe("applyServerSide", () => {
  it("creates the object with one Apply entry", () => {
    const result = applyServerSide(undefined, manifest(), "kubectl", "DaemonSet", t0) as any;
    const { managedFields, ...metadata } = result.metadata;
    expect({ ...result, metadata }).toEqual(manifest());
    expect(managedFields).toEqual([
      { manager: "kubectl", operation: "Apply", apiVersion: "apps/v1", time: t0, fieldsType: "FieldsV1", fieldsV1: manifestFields },
    ]);
  });

  it("serializes FieldsV1 with the apiserver's key order", () => {
    const result = applyServerSide(undefined, manifest(), "kubectl", "DaemonSet", t0) as any;
    expect(JSON.stringify(result.metadata.managedFields[0].fieldsV1)).toBe(
      '{"f:metadata":{"f:labels":{"f:app":{},"f:tier":{}}},"f:spec":{"f:selector":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},' +
        '"f:spec":{"f:containers":{"k:{\\"name\\":\\"main\\"}":{".":{},"f:image":{},"f:name":{},"f:ports":{"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":' +
        '{".":{},"f:containerPort":{}}}}},"f:tolerations":{}}}}}',
    );
  });

  it.each([
    {
      name: "a changed field is updated",
      applied: manifest((m) => (m.spec.template.spec.containers[0].image = "nginx:1.26")),
      check: (o: any) => o.spec.template.spec.containers[0].image,
      expected: "nginx:1.26",
    },
    {
      name: "a dropped atomic list (tolerations) is removed",
      applied: manifest((m) => delete m.spec.template.spec.tolerations),
      check: (o: any) => "tolerations" in o.spec.template.spec,
      expected: false,
    },
    {
      name: "a dropped label is removed, the others stay",
      applied: manifest((m) => delete m.metadata.labels.tier),
      check: (o: any) => o.metadata.labels,
      expected: { app: "x" },
    },
    {
      name: "dropped ports are removed, and the emptied list with them",
      applied: manifest((m) => delete m.spec.template.spec.containers[0].ports),
      check: (o: any) => "ports" in o.spec.template.spec.containers[0],
      expected: false,
    },
    {
      name: "a dropped container is removed whole",
      applied: manifest((m) => (m.spec.template.spec.containers = [{ name: "side", image: "busybox" }])),
      check: (o: any) => o.spec.template.spec.containers,
      expected: [{ name: "side", image: "busybox" }],
    },
    {
      name: "a new container joins by name, after the one it follows in the manifest",
      applied: manifest((m) => m.spec.template.spec.containers.push({ name: "side", image: "busybox" })),
      check: (o: any) => o.spec.template.spec.containers.map((c: any) => c.name),
      expected: ["main", "side"],
    },
    {
      name: "fields the server defaulted inside an applied container stay",
      applied: manifest((m) => (m.spec.template.spec.containers[0].image = "nginx:1.26")),
      check: (o: any) => [o.spec.template.spec.containers[0].imagePullPolicy, o.spec.template.spec.containers[0].ports],
      expected: ["IfNotPresent", [{ containerPort: 80, protocol: "TCP" }]],
    },
    {
      name: "fields set by the server and never applied stay",
      applied: manifest((m) => delete m.spec.template.spec.tolerations),
      check: (o: any) => [o.spec.updateStrategy, o.spec.revisionHistoryLimit, o.metadata.uid, o.status],
      expected: [{ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, 10, "u1", { desiredNumberScheduled: 2 }],
    },
    {
      name: "an applied null unsets the field",
      applied: manifest((m) => (m.spec.revisionHistoryLimit = null)),
      check: (o: any) => "revisionHistoryLimit" in o.spec,
      expected: false,
    },
    {
      name: "status in the applied configuration is ignored",
      applied: manifest((m) => (m.status = { desiredNumberScheduled: 99 })),
      check: (o: any) => o.status,
      expected: { desiredNumberScheduled: 2 },
    },
  ])("$name", ({ applied, check, expected }) => {
    expect(check(applyServerSide(created(), applied, "kubectl", "DaemonSet", t1))).toEqual(expected);
  });

  it("keeps a field someone else set with another kind of patch", () => {
    const live = created() as any;
    live.metadata.labels.owner = "ops"; // kubectl label, untracked
    live.spec.template.spec.nodeSelector = { disktype: "ssd" }; // kubectl patch, untracked
    const result = applyServerSide(live, manifest((m) => delete m.metadata.labels.tier), "kubectl", "DaemonSet", t1) as any;
    expect(result.metadata.labels).toEqual({ app: "x", owner: "ops" });
    expect(result.spec.template.spec.nodeSelector).toEqual({ disktype: "ssd" });
  });

  it("keeps a field another Apply manager owns when this manager stops applying it", () => {
    const annotation = "kubectl.kubernetes.io/last-applied-configuration";
    let live = stored(applyServerSide(undefined, manifest((m) => (m.metadata.annotations = { [annotation]: "{}" })), "kubectl", "DaemonSet", t0));
    live = applyServerSide(
      live,
      { apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name: "x", namespace: "default", annotations: { [annotation]: "{}" } } },
      "kubectl-last-applied",
      "DaemonSet",
      t0,
    ) as JsonObject;
    const result = applyServerSide(live, manifest(), "kubectl", "DaemonSet", t1) as any;
    expect(result.metadata.annotations).toEqual({ [annotation]: "{}" });
    expect(result.metadata.managedFields.map((e: any) => e.manager)).toEqual(["kubectl-last-applied", "kubectl"]);
  });

  it("records the new field set and time after a change", () => {
    const result = applyServerSide(created(), manifest((m) => delete m.spec.template.spec.tolerations), "kubectl", "DaemonSet", t1) as any;
    const { "f:tolerations": _dropped, ...podSpecFields } = manifestFields["f:spec"]["f:template"]["f:spec"];
    expect(result.metadata.managedFields).toEqual([
      {
        manager: "kubectl",
        operation: "Apply",
        apiVersion: "apps/v1",
        time: t1,
        fieldsType: "FieldsV1",
        fieldsV1: { ...manifestFields, "f:spec": { ...manifestFields["f:spec"], "f:template": { ...manifestFields["f:spec"]["f:template"], "f:spec": podSpecFields } } },
      },
    ]);
  });

  it("keeps the entry's time when nothing changed", () => {
    const result = applyServerSide(created(), manifest(), "kubectl", "DaemonSet", t1) as any;
    expect(result.metadata.managedFields[0].time).toBe(t0);
  });

  it("keeps other managers' entries, Apply entries first, oldest first", () => {
    const live = created() as any;
    const update = { manager: "kube-controller-manager", operation: "Update", apiVersion: "apps/v1", time: t0, fieldsType: "FieldsV1", fieldsV1: { "f:status": { "f:desiredNumberScheduled": {} } }, subresource: "status" };
    live.metadata.managedFields.unshift(update);
    const result = applyServerSide(live, manifest(), "other", "DaemonSet", t1) as any;
    expect(result.metadata.managedFields.map((e: any) => [e.manager, e.operation])).toEqual([
      ["kubectl", "Apply"],
      ["other", "Apply"],
      ["kube-controller-manager", "Update"],
    ]);
  });

  it("does not mutate its arguments", () => {
    const live = created();
    const applied = manifest((m) => delete m.spec.template.spec.tolerations);
    const before = JSON.stringify([live, applied]);
    applyServerSide(live, applied, "kubectl", "DaemonSet", t1);
    expect(JSON.stringify([live, applied])).toBe(before);
  });

  it("rejects an applied configuration that carries managedFields", () => {
    const applied = manifest((m) => (m.metadata.managedFields = []));
    expect(() => applyServerSide(undefined, applied, "kubectl", "DaemonSet", t0)).toThrow(new PatchError(400, "metadata.managedFields must be nil"));
  });
});

describe("applyServerSide on Nodes", () => {
  it("owns finalizers as a set and merges them with the live ones", () => {
    const live = { apiVersion: "v1", kind: "Node", metadata: { name: "n1", finalizers: ["server/keep"] } };
    const result = applyServerSide(live, { apiVersion: "v1", kind: "Node", metadata: { name: "n1", finalizers: ["edgeset/x"] } }, "m", "Node", t0) as any;
    expect(result.metadata.finalizers).toEqual(["server/keep", "edgeset/x"]);
    expect(result.metadata.managedFields[0].fieldsV1).toEqual({ "f:metadata": { "f:finalizers": { 'v:"edgeset/x"': {} } } });
  });

  it("replaces taints whole", () => {
    const live = { apiVersion: "v1", kind: "Node", metadata: { name: "n1" }, spec: { taints: [{ key: "a", effect: "NoSchedule" }] } };
    const result = applyServerSide(live, { apiVersion: "v1", kind: "Node", metadata: { name: "n1" }, spec: { taints: [{ key: "b", effect: "NoExecute" }] } }, "m", "Node", t0) as any;
    expect(result.spec.taints).toEqual([{ key: "b", effect: "NoExecute" }]);
  });
});
