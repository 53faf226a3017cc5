import { describe, expect, it } from "vitest";
import { makePod } from "../testing/pods.ts";
import { refusedPodStatus } from "./accept-assignments.ts";
import { acceptPod } from "./accept-pod.ts";

const withSpec = (spec: Record<string, unknown>) => ({ metadata: { name: "web", namespace: "default", uid: "u1" }, spec: { containers: [{ name: "c" }], ...spec } });
const container = (extra: Record<string, unknown>) => withSpec({ containers: [{ name: "c", ...extra }] });

describe("acceptPod", () => {
  it("accepts a valid pod unchanged and drops null members as unset", () => {
    expect(acceptPod(makePod("web"))).toEqual({ pod: makePod("web") });
    expect(acceptPod({ ...makePod("web"), status: null })).toEqual({ pod: makePod("web") });
  });

  it.each([
    { name: "not an object", pod: 7, field: "" },
    { name: "no metadata", pod: { spec: {} }, field: "metadata" },
    { name: "no name", pod: { metadata: { uid: "u1" }, spec: {} }, field: "metadata.name" },
    { name: "a name with a slash", pod: { metadata: { name: "a/b", uid: "u1" }, spec: {} }, field: "metadata.name" },
    { name: "a namespace with ..", pod: { metadata: { name: "a", namespace: "..", uid: "u1" }, spec: {} }, field: "metadata.namespace" },
    { name: "a uid with a slash", pod: { metadata: { name: "a", uid: "../x" }, spec: {} }, field: "metadata.uid" },
    { name: "no spec", pod: { metadata: { name: "a", uid: "u1" } }, field: "spec" },
    { name: "a null container", pod: withSpec({ containers: [null] }), field: "spec.containers[0]" },
    { name: "no containers", pod: withSpec({ containers: [] }), field: "spec.containers" },
    { name: "containers of the wrong type", pod: withSpec({ containers: "c" }), field: "spec.containers" },
    { name: "a container name with ..", pod: container({ name: ".." }), field: "spec.containers[0].name" },
    { name: "duplicate containers", pod: withSpec({ containers: [{ name: "c" }, { name: "c" }] }), field: "spec.containers[1].name" },
    { name: "a volume name with ..", pod: withSpec({ volumes: [{ name: "../../x", emptyDir: {} }] }), field: "spec.volumes[0].name" },
    { name: "duplicate volumes", pod: withSpec({ volumes: [{ name: "v", emptyDir: {} }, { name: "v", emptyDir: {} }] }), field: "spec.volumes[1].name" },
    { name: "an items path with ..", pod: withSpec({ volumes: [{ name: "v", configMap: { name: "m", items: [{ key: "a", path: "../a" }] } }] }), field: "spec.volumes[0].configMap.items[0].path" },
    { name: "an absolute items path", pod: withSpec({ volumes: [{ name: "v", secret: { secretName: "s", items: [{ key: "a", path: "/etc/a" }] } }] }), field: "spec.volumes[0].secret.items[0].path" },
    { name: "an items path starting with ..", pod: withSpec({ volumes: [{ name: "v", configMap: { name: "m", items: [{ key: "a", path: "..data" }] } }] }), field: "spec.volumes[0].configMap.items[0].path" },
    { name: "a mode above 0777", pod: withSpec({ volumes: [{ name: "v", configMap: { name: "m", defaultMode: 4096 } }] }), field: "spec.volumes[0].configMap.defaultMode" },
    { name: "a subPath with ..", pod: withSpec({ volumes: [{ name: "v", emptyDir: {} }], containers: [{ name: "c", volumeMounts: [{ name: "v", mountPath: "/m", subPath: "../../etc" }] }] }), field: "spec.containers[0].volumeMounts[0].subPath" },
    { name: "an absolute subPath", pod: withSpec({ volumes: [{ name: "v", emptyDir: {} }], containers: [{ name: "c", volumeMounts: [{ name: "v", mountPath: "/m", subPath: "/etc" }] }] }), field: "spec.containers[0].volumeMounts[0].subPath" },
    { name: "a mount of no volume", pod: container({ volumeMounts: [{ name: "v", mountPath: "/m" }] }), field: "spec.containers[0].volumeMounts[0].name" },
    { name: "an env var without a name", pod: container({ env: [{ value: "x" }] }), field: "spec.containers[0].env[0].name" },
    { name: "a configMapKeyRef without a key", pod: container({ env: [{ name: "A", valueFrom: { configMapKeyRef: { name: "m" } } }] }), field: "spec.containers[0].env[0].valueFrom.configMapKeyRef.key" },
    { name: "a probe without a handler", pod: container({ livenessProbe: { periodSeconds: 1 } }), field: "spec.containers[0].livenessProbe" },
    { name: "a wrong type", pod: container({ command: "sh" }), field: "spec.containers[0].command" },
    { name: "a huge number", pod: withSpec({ terminationGracePeriodSeconds: 1e300 }), field: "spec.terminationGracePeriodSeconds" },
    { name: "deep nesting", pod: container({ x: JSON.parse(`${"[".repeat(100)}${"]".repeat(100)}`) }), field: expect.stringMatching(/^spec\.containers\[0\]\.x(\[0\])+$/) },
  ])("refuses $name, naming $field", ({ pod, field }) => {
    const result = acceptPod(pod);
    expect(result).toEqual({ refused: expect.objectContaining({ field }) });
  });

  it("keeps what identifies a refused pod, for its report", () => {
    const result = acceptPod(withSpec({ containers: [null] }));
    if (!("refused" in result)) throw new Error("accepted");
    expect(result.refused).toMatchObject({ namespace: "default", name: "web", uid: "u1" });
    expect(refusedPodStatus(result.refused)).toMatchObject({
      phase: "Pending",
      reason: "InvalidPodSpec",
      message: "the agent cannot run this pod: spec.containers[0]: Invalid value: null: must not be null",
    });
  });

  it("keeps a __proto__ label as an own key, not a prototype", () => {
    const pod = JSON.parse('{"metadata":{"name":"a","uid":"u1","labels":{"__proto__":"x"}},"spec":{"containers":[{"name":"c"}]}}');
    const result = acceptPod(pod);
    if (!("pod" in result)) throw new Error("refused");
    expect(Object.getPrototypeOf(result.pod.metadata.labels)).toBe(Object.prototype);
    expect(Object.keys(result.pod.metadata.labels!)).toEqual(["__proto__"]);
  });
});
