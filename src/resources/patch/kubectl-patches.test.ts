/**
 * The exact patches kubectl 1.32 sends (kubectl-wire.md §2), applied to realistic stored objects:
 * each case checks the whole object a user would then `get`.
 */
import { describe, expect, it } from "vitest";
import { applyJsonMergePatch } from "./json-merge-patch.ts";
import { cloneJson, type JsonObject } from "./json-value.ts";
import { applyStrategicMergePatch } from "./strategic-merge-patch.ts";

const lastApplied = "kubectl.kubernetes.io/last-applied-configuration";
const controlPlaneToleration = { effect: "NoSchedule", key: "node-role.kubernetes.io/control-plane", operator: "Exists" };

/** A DaemonSet as the server stores it after the first `kubectl apply`: defaults filled in. */
const liveDaemonSet = (): JsonObject => ({
  apiVersion: "apps/v1",
  kind: "DaemonSet",
  metadata: {
    name: "x",
    namespace: "default",
    uid: "7b0c9a52-1f7e-4c55-9d1e-3d2f5a0c1b11",
    resourceVersion: "1002",
    generation: 1,
    creationTimestamp: "2025-01-01T00:00:00Z",
    labels: { app: "x" },
    annotations: { "deprecated.daemonset.template.generation": "1", [lastApplied]: '{"apiVersion":"apps/v1"}\n' },
  },
  spec: {
    selector: { matchLabels: { app: "x" } },
    template: {
      metadata: { labels: { app: "x" } },
      spec: {
        containers: [
          {
            name: "main",
            image: "nginx:1.25",
            ports: [{ containerPort: 80, protocol: "TCP" }],
            resources: {},
            terminationMessagePath: "/dev/termination-log",
            terminationMessagePolicy: "File",
            imagePullPolicy: "IfNotPresent",
          },
        ],
        tolerations: [controlPlaneToleration],
        restartPolicy: "Always",
        terminationGracePeriodSeconds: 30,
        dnsPolicy: "ClusterFirst",
        securityContext: {},
        schedulerName: "default-scheduler",
      },
    },
    updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
    revisionHistoryLimit: 10,
  },
  status: { currentNumberScheduled: 2, numberMisscheduled: 0, desiredNumberScheduled: 2, numberReady: 2, observedGeneration: 1 },
});

/** A copy of `base` changed by `edit`: expected results read as "the live object, except …". */
const changed = (base: JsonObject, edit: (o: any) => void): JsonObject => {
  const copy = cloneJson(base);
  edit(copy);
  return copy;
};

const imageChange = {
  metadata: { annotations: { [lastApplied]: '{"apiVersion":"apps/v1","new":true}\n' } },
  spec: { template: { spec: { "$setElementOrder/containers": [{ name: "main" }], containers: [{ image: "nginx:1.26", name: "main" }] } } },
};

const addSidecar = {
  spec: {
    template: {
      spec: {
        "$setElementOrder/containers": [{ name: "sidecar" }, { name: "main" }],
        containers: [
          { args: ["sleep", "infinity"], image: "busybox:1.36", name: "sidecar" },
          { env: [{ name: "MODE", value: "prod" }], image: "nginx:1.26", name: "main", ports: null },
        ],
        nodeSelector: { disktype: "ssd" },
        tolerations: null,
      },
    },
    updateStrategy: { rollingUpdate: { maxUnavailable: 2 } },
  },
};

const removeSidecar = {
  spec: {
    template: {
      spec: {
        "$setElementOrder/containers": [{ name: "main" }],
        containers: [
          { env: null, image: "nginx:1.27", name: "main", volumeMounts: [{ mountPath: "/data", name: "data" }] },
          { $patch: "delete", name: "sidecar" },
        ],
        nodeSelector: null,
        volumes: [{ hostPath: { path: "/var/data" }, name: "data" }],
      },
    },
    updateStrategy: null,
  },
};

const undoData = {
  spec: {
    template: {
      metadata: { labels: { app: "x" } },
      spec: {
        containers: [{ image: "nginx:1.25", name: "main", ports: [{ containerPort: 80 }] }],
        tolerations: [controlPlaneToleration],
      },
      $patch: "replace",
    },
  },
};

const afterImageChange = changed(liveDaemonSet(), (ds) => {
  ds.metadata.annotations[lastApplied] = '{"apiVersion":"apps/v1","new":true}\n';
  ds.spec.template.spec.containers[0].image = "nginx:1.26";
});

const afterAddSidecar = changed(afterImageChange, (ds) => {
  const main = ds.spec.template.spec.containers[0];
  delete main.ports;
  main.env = [{ name: "MODE", value: "prod" }];
  ds.spec.template.spec.containers = [{ args: ["sleep", "infinity"], image: "busybox:1.36", name: "sidecar" }, main];
  ds.spec.template.spec.nodeSelector = { disktype: "ssd" };
  delete ds.spec.template.spec.tolerations;
  ds.spec.updateStrategy.rollingUpdate.maxUnavailable = 2;
});

const afterRemoveSidecar = changed(afterAddSidecar, (ds) => {
  const main = ds.spec.template.spec.containers[1];
  delete main.env;
  main.image = "nginx:1.27";
  main.volumeMounts = [{ mountPath: "/data", name: "data" }];
  ds.spec.template.spec.containers = [main];
  delete ds.spec.template.spec.nodeSelector;
  ds.spec.template.spec.volumes = [{ hostPath: { path: "/var/data" }, name: "data" }];
  delete ds.spec.updateStrategy;
});

describe("kubectl's strategic merge patches on a DaemonSet", () => {
  it.each([
    { command: "apply (image changed)", live: liveDaemonSet(), patch: imageChange, expected: afterImageChange },
    { command: "apply (sidecar added, ports and tolerations dropped, nodeSelector and rollingUpdate set)", live: afterImageChange, patch: addSidecar, expected: afterAddSidecar },
    { command: "apply (sidecar deleted, env/nodeSelector/updateStrategy nulled, volume added)", live: afterAddSidecar, patch: removeSidecar, expected: afterRemoveSidecar },
    {
      command: "rollout undo ($patch: replace on the template)",
      live: afterRemoveSidecar,
      patch: undoData,
      expected: changed(afterRemoveSidecar, (ds) => {
        ds.spec.template = {
          metadata: { labels: { app: "x" } },
          spec: { containers: [{ image: "nginx:1.25", name: "main", ports: [{ containerPort: 80 }] }], tolerations: [controlPlaneToleration] },
        };
      }),
    },
    {
      command: "rollout restart",
      live: liveDaemonSet(),
      patch: { spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": "2026-11-27T22:22:40Z" } } } } },
      expected: changed(liveDaemonSet(), (ds) => {
        ds.spec.template.metadata.annotations = { "kubectl.kubernetes.io/restartedAt": "2026-11-27T22:22:40Z" };
      }),
    },
  ])("$command", ({ live, patch, expected }) => {
    expect(applyStrategicMergePatch(live, patch, "DaemonSet")).toEqual(expected);
  });

  it("orders containers by $setElementOrder: the new sidecar comes first", () => {
    const result = applyStrategicMergePatch(afterImageChange, addSidecar, "DaemonSet") as any;
    expect(result.spec.template.spec.containers.map((c: { name: string }) => c.name)).toEqual(["sidecar", "main"]);
  });

  it("leaves the stored object untouched", () => {
    const live = liveDaemonSet();
    applyStrategicMergePatch(live, removeSidecar, "DaemonSet");
    expect(live).toEqual(liveDaemonSet());
  });
});

const liveNode = (taints?: unknown[]): JsonObject => ({
  apiVersion: "v1",
  kind: "Node",
  metadata: { name: "n1", uid: "n1", resourceVersion: "7", labels: { "kubernetes.io/hostname": "n1" } },
  spec: taints ? { taints } : {},
  status: {
    conditions: [{ type: "Ready", status: "True", reason: "KubeletReady" }],
    addresses: [{ type: "InternalIP", address: "10.0.0.5" }, { type: "Hostname", address: "n1" }],
  },
});

const noExecute = { effect: "NoExecute", key: "key2", value: "v2" };
const noSchedule = { effect: "NoSchedule", key: "key", value: "value" };

describe("kubectl's patches on a Node", () => {
  it.each([
    {
      command: "cordon",
      live: liveNode(),
      patch: { spec: { unschedulable: true } },
      expected: changed(liveNode(), (n) => (n.spec.unschedulable = true)),
    },
    {
      command: "uncordon",
      live: changed(liveNode(), (n) => (n.spec.unschedulable = true)),
      patch: { spec: { unschedulable: null } },
      expected: liveNode(),
    },
    {
      command: "taint key=value:NoSchedule (whole list sent, new taint first)",
      live: liveNode([noExecute]),
      patch: { spec: { taints: [noSchedule, noExecute] } },
      expected: liveNode([noSchedule, noExecute]),
    },
    {
      command: "taint key:NoSchedule- (remaining list sent)",
      live: liveNode([noSchedule, noExecute]),
      patch: { spec: { taints: [noExecute] } },
      expected: liveNode([noExecute]),
    },
    {
      command: "taint with a changed value replaces rather than merges by key",
      live: liveNode([noSchedule, noExecute]),
      patch: { spec: { taints: [{ effect: "NoSchedule", key: "key", value: "other" }] } },
      expected: liveNode([{ effect: "NoSchedule", key: "key", value: "other" }]),
    },
  ])("$command", ({ live, patch, expected }) => {
    expect(applyStrategicMergePatch(live, patch, "Node")).toEqual(expected);
  });

  it.each([
    {
      command: "label node n1 disktype=ssd",
      patch: { metadata: { labels: { disktype: "ssd" } } },
      labels: { "kubernetes.io/hostname": "n1", disktype: "ssd" },
      annotations: undefined,
    },
    {
      command: "label node n1 kubernetes.io/hostname-",
      patch: { metadata: { labels: { "kubernetes.io/hostname": null } } },
      labels: {},
      annotations: undefined,
    },
    {
      command: "annotate node n1 owner=ops",
      patch: { metadata: { annotations: { owner: "ops" } } },
      labels: { "kubernetes.io/hostname": "n1" },
      annotations: { owner: "ops" },
    },
  ])("$command (JSON merge patch)", ({ patch, labels, annotations }) => {
    const result = applyJsonMergePatch(liveNode(), patch) as any;
    expect(result.metadata.labels).toEqual(labels);
    expect(result.metadata.annotations).toEqual(annotations);
    expect(result.status).toEqual(liveNode().status);
  });
});
