/**
 * Placement fields are validated as Kubernetes validates them: a bad operator, a Gt with two
 * values, a malformed label key or topologyKey, a preferred weight outside 1..100 is a 422
 * Invalid naming the field, for DaemonSets, Pods and Nodes alike; nothing is stored.
 */
import { describe, expect, it } from "vitest";
import { daemonSet, pod } from "../support/manifests.ts";
import { call, json, unique } from "./helpers.ts";

const collection = "/apis/apps/v1/namespaces/default/daemonsets";
const spec = "spec.template.spec";
const na = `${spec}.affinity.nodeAffinity`;
const requiredTerm = (expr: Record<string, unknown>) => ({ requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [expr] }] } });
const podTerm = { labelSelector: { matchLabels: { security: "S1" } }, topologyKey: "kubernetes.io/hostname" };

type Mutation = (podSpec: any) => void;

const cases: [string, Mutation, string, string][] = [
  ["an unknown node affinity operator", (s) => (s.affinity = { nodeAffinity: requiredTerm({ key: "disktype", operator: "Like", values: ["ssd"] }) }), `${na}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator`, "not a valid selector operator"],
  ["Gt with two values", (s) => (s.affinity = { nodeAffinity: requiredTerm({ key: "cores", operator: "Gt", values: ["2", "4"] }) }), `${na}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values`, "single value"],
  ["In without values", (s) => (s.affinity = { nodeAffinity: requiredTerm({ key: "disktype", operator: "In", values: [] }) }), `${na}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values`, "must be specified"],
  ["Exists with values", (s) => (s.affinity = { nodeAffinity: requiredTerm({ key: "gpu", operator: "Exists", values: ["x"] }) }), `${na}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values`, "may not be specified"],
  ["a malformed label key in a term", (s) => (s.affinity = { nodeAffinity: requiredTerm({ key: "bad key!", operator: "Exists" }) }), `${na}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key`, "name part must consist of"],
  ["no nodeSelectorTerms", (s) => (s.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } }), `${na}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`, "at least one"],
  ["matchFields on another field", (s) => (s.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: "metadata.uid", operator: "In", values: ["x"] }] }] } } }), `${na}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].key`, "not a valid field selector key"],
  ["a preferred node term of weight 0", (s) => (s.affinity = { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: { matchExpressions: [{ key: "a", operator: "Exists" }] } }] } }), `${na}.preferredDuringSchedulingIgnoredDuringExecution[0].weight`, "must be in the range 1-100"],
  ["a preferred node term of weight 101", (s) => (s.affinity = { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 101, preference: { matchExpressions: [{ key: "a", operator: "Exists" }] } }] } }), `${na}.preferredDuringSchedulingIgnoredDuringExecution[0].weight`, "must be in the range 1-100"],
  ["a preferred pod anti-affinity term of weight 101", (s) => (s.affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 101, podAffinityTerm: podTerm }] } }), `${spec}.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight`, "must be in the range 1-100"],
  ["a pod affinity term without topologyKey", (s) => (s.affinity = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ ...podTerm, topologyKey: "" }] } }), `${spec}.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey`, "can not be empty"],
  ["an unknown label selector operator in a pod term", (s) => (s.affinity = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ ...podTerm, labelSelector: { matchExpressions: [{ key: "security", operator: "Like", values: ["S1"] }] } }] } }), `${spec}.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].operator`, "not a valid selector operator"],
  ["a malformed nodeSelector key", (s) => (s.nodeSelector = { "bad key!": "x" }), `${spec}.nodeSelector`, "name part must consist of"],
  ["an unknown toleration operator", (s) => (s.tolerations = [{ key: "dedicated", operator: "Maybe", value: "x", effect: "NoSchedule" }]), `${spec}.tolerations[0].operator`, "Unsupported value"],
  ["an unknown toleration effect", (s) => (s.tolerations = [{ key: "dedicated", operator: "Exists", effect: "Sometimes" }]), `${spec}.tolerations[0].effect`, "Unsupported value"],
];

describe("placement fields of a DaemonSet", () => {
  it.each(cases)("%s is 422 Invalid naming the field", async (_what, mutate, field, words) => {
    const name = unique("badplace");
    const manifest = daemonSet({ name });
    mutate(manifest.spec.template.spec);
    const res = await call("POST", collection, manifest);
    expect(res.status).toBe(422);
    const status = await json(res);
    expect(status).toMatchObject({ kind: "Status", reason: "Invalid", code: 422, details: { name, kind: "DaemonSet" } });
    const cause = status.details.causes.find((c: any) => c.field === field);
    expect(cause, JSON.stringify(status.details.causes)).toBeDefined();
    expect(cause.message).toContain(words);
    expect((await call("GET", `${collection}/${name}`)).status).toBe(404);
  });

  it("accepts the docs' examples as written, preferred terms included, and stores them", async () => {
    const name = unique("docs");
    const manifest = daemonSet({ name });
    manifest.spec.template.spec = {
      ...manifest.spec.template.spec,
      affinity: {
        nodeAffinity: {
          ...requiredTerm({ key: "kubernetes.io/e2e-az-name", operator: "In", values: ["e2e-az1", "e2e-az2"] }),
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: "another-node-label-key", operator: "In", values: ["another-node-label-value"] }] } }],
        },
        podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [podTerm] },
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { ...podTerm, labelSelector: { matchLabels: { security: "S2" } } } }] },
      },
    } as any;
    const res = await call("POST", collection, manifest);
    expect(res.status).toBe(201);
    const stored = await json(await call("GET", `${collection}/${name}`));
    expect(stored.spec.template.spec.affinity).toEqual((manifest.spec.template.spec as any).affinity);
  });
});

describe("placement fields of Pods and Nodes", () => {
  it("a Pod with a Gt of two values is 422 naming spec.affinity", async () => {
    const name = unique("badpod");
    const manifest = pod({ name, containers: [{ name: "c", image: "busybox" }], spec: { affinity: { nodeAffinity: requiredTerm({ key: "cores", operator: "Gt", values: ["1", "2"] }) as any } } });
    const res = await call("POST", "/api/v1/namespaces/default/pods", manifest);
    expect(res.status).toBe(422);
    expect((await json(res)).details.causes.map((c: any) => c.field)).toContain("spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values");
  });

  it.each<[string, unknown, string]>([
    ["an unknown taint effect", [{ key: "dedicated", value: "x", effect: "Sometimes" }], "spec.taints[0].effect"],
    ["a malformed taint key", [{ key: "bad key!", effect: "NoSchedule" }], "spec.taints[0].key"],
  ])("a Node with %s is 422 naming the field", async (_what, taints, field) => {
    const name = unique("badnode");
    expect((await call("POST", "/api/v1/nodes", { apiVersion: "v1", kind: "Node", metadata: { name } })).status).toBe(201);
    const res = await call("PATCH", `/api/v1/nodes/${name}`, { spec: { taints } }, { contentType: "application/merge-patch+json" });
    expect(res.status).toBe(422);
    expect((await json(res)).details.causes.map((c: any) => c.field)).toContain(field);
  });
});
