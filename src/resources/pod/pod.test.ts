import { describe, expect, it } from "vitest";
import type { Pod, PodSpec } from "../types.ts";
import { milliValue, parseQuantity } from "../../protocol/quantity.ts";
import { defaultPod, defaultPodSpec, imageTag, preparePodForCreate, validatePod, validatePodSpec } from "./index.ts";

const spec = (extra: Partial<PodSpec> = {}): PodSpec => defaultPodSpec({ containers: [{ name: "app", image: "nginx:1.27" }], ...extra } as PodSpec);
const msgs = (s: PodSpec) => validatePodSpec(s, "spec").map((e) => `${e.field}: ${e.message}`);

describe("defaultPodSpec", () => {
  it("sets the pod-level defaults", () => {
    expect(spec()).toMatchObject({ restartPolicy: "Always", terminationGracePeriodSeconds: 30, dnsPolicy: "ClusterFirst", schedulerName: "default-scheduler", securityContext: {} });
  });

  it.each([
    ["nginx", "Always"],
    ["nginx:latest", "Always"],
    ["registry:5000/nginx", "Always"],
    ["nginx:1.27", "IfNotPresent"],
    ["nginx@sha256:abc", "IfNotPresent"],
  ])("image %s pulls %s", (image, policy) => {
    expect(defaultPodSpec({ containers: [{ name: "c", image }] }).containers[0].imagePullPolicy).toBe(policy);
  });

  it("defaults containers, ports, probes and httpGet", () => {
    const s = defaultPodSpec({ containers: [{ name: "c", image: "i", ports: [{ containerPort: 80 }], livenessProbe: { httpGet: { port: 80 } } }] });
    expect(s.containers[0]).toMatchObject({
      terminationMessagePath: "/dev/termination-log",
      terminationMessagePolicy: "File",
      ports: [{ containerPort: 80, protocol: "TCP" }],
      livenessProbe: { timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3, httpGet: { port: 80, path: "/", scheme: "HTTP" } },
    });
  });

  it("defaults volume modes and hostPath type", () => {
    const s = defaultPodSpec({
      containers: [{ name: "c", image: "i" }],
      volumes: [
        { name: "a", configMap: { name: "cm" } },
        { name: "b", secret: { secretName: "s" } },
        { name: "c", projected: { sources: [] } },
        { name: "d", hostPath: { path: "/data" } },
      ],
    });
    expect(s.volumes).toEqual([
      { name: "a", configMap: { name: "cm", defaultMode: 420 } },
      { name: "b", secret: { secretName: "s", defaultMode: 420 } },
      { name: "c", projected: { sources: [], defaultMode: 420 } },
      { name: "d", hostPath: { path: "/data", type: "" } },
    ]);
  });

  it("does not modify its input", () => {
    const input: PodSpec = { containers: [{ name: "c", image: "i" }] };
    defaultPodSpec(input);
    expect(input).toEqual({ containers: [{ name: "c", image: "i" }] });
  });

  it("imageTag reads registry ports correctly", () => {
    expect(imageTag("localhost:5000/app:v2")).toBe("v2");
  });
});

describe("validatePodSpec", () => {
  it("accepts a defaulted spec", () => {
    expect(msgs(spec())).toEqual([]);
  });

  it.each([
    ["no containers", spec({ containers: [] }), "spec.containers: Required value"],
    ["a duplicate container name", spec({ containers: [{ name: "a", image: "i" }, { name: "a", image: "i" }] }), 'spec.containers[1].name: Duplicate value: "a"'],
    ["a container name that is not a DNS-1123 label", spec({ containers: [{ name: "App", image: "i" }] }), 'spec.containers[0].name: Invalid value: "App": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character (e.g. \'my-name\',  or \'123-abc\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?\')'],
    ["no image", spec({ containers: [{ name: "a" }] }), "spec.containers[0].image: Required value"],
    ["an env name with '='", spec({ containers: [{ name: "a", image: "i", env: [{ name: "A=B", value: "x" }] }] }), "spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='"],
    ["port 0", spec({ containers: [{ name: "a", image: "i", ports: [{ containerPort: 70000 }] }] }), "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"],
    ["a duplicate volume name", spec({ volumes: [{ name: "v", emptyDir: {} }, { name: "v", emptyDir: {} }] }), 'spec.volumes[1].name: Duplicate value: "v"'],
    ["a volume without a type", spec({ volumes: [{ name: "v" }] }), "spec.volumes[0]: Required value: must specify a volume type"],
    ["a mount of a missing volume", spec({ containers: [{ name: "a", image: "i", volumeMounts: [{ name: "nope", mountPath: "/x" }] }] }), 'spec.containers[0].volumeMounts[0].name: Not found: "nope"'],
    ["a probe without a handler", spec({ containers: [{ name: "a", image: "i", livenessProbe: {} }] }), "spec.containers[0].livenessProbe: Required value: must specify a handler type"],
    ["a probe with two handlers", spec({ containers: [{ name: "a", image: "i", readinessProbe: { exec: { command: ["true"] }, tcpSocket: { port: 80 } } }] }), "spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type"],
    ["a bad quantity", spec({ containers: [{ name: "a", image: "i", resources: { limits: { memory: "lots" } } }] }), "spec.containers[0].resources.limits[memory]: Invalid value: \"lots\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
    ["requests above limits", spec({ containers: [{ name: "a", image: "i", resources: { limits: { cpu: "500m" }, requests: { cpu: "1" } } }] }), 'spec.containers[0].resources.requests[cpu]: Invalid value: "1": must be less than or equal to cpu limit of 500m'],
    ["an unknown restartPolicy", spec({ restartPolicy: "Sometimes" as PodSpec["restartPolicy"] }), 'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
    ["a negative pod runAsUser", spec({ securityContext: { runAsUser: -1 } }), "spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive"],
    ["a pod fsGroup past int32", spec({ securityContext: { fsGroup: 2 ** 31 } }), "spec.securityContext.fsGroup: Invalid value: 2147483648: must be between 0 and 2147483647, inclusive"],
    ["a negative supplemental group", spec({ securityContext: { supplementalGroups: [1, -5] } }), "spec.securityContext.supplementalGroups[1]: Invalid value: -5: must be between 0 and 2147483647, inclusive"],
    ["a container runAsGroup past int32", spec({ containers: [{ name: "a", image: "i", securityContext: { runAsGroup: 1e12 } }] }), "spec.containers[0].securityContext.runAsGroup: Invalid value: 1000000000000: must be between 0 and 2147483647, inclusive"],
    ["an init container runAsUser below 0", spec({ initContainers: [{ name: "b", image: "i", securityContext: { runAsUser: -2 } }] }), "spec.initContainers[0].securityContext.runAsUser: Invalid value: -2: must be between 0 and 2147483647, inclusive"],
  ])("rejects %s", (_name, s, message) => {
    expect(msgs(s)).toContain(message);
  });

  const mounted = (mount: Record<string, string>) => spec({ volumes: [{ name: "v", emptyDir: {} }], containers: [{ name: "a", image: "i", volumeMounts: [{ name: "v", mountPath: "/x", ...mount }] }] });
  const at = "spec.containers[0].volumeMounts[0]";
  it.each([
    ["a subPath with '..'", { subPath: "a/../../b" }, `${at}.subPath: Invalid value: "a/../../b": must not contain '..'`],
    ["an absolute subPath", { subPath: "/etc" }, `${at}.subPath: Invalid value: "/etc": must be a relative path`],
    ["a subPathExpr with '..'", { subPathExpr: "$(POD)/../.." }, `${at}.subPathExpr: Invalid value: "$(POD)/../..": must not contain '..'`],
    ["an absolute subPathExpr", { subPathExpr: "/$(POD)" }, `${at}.subPathExpr: Invalid value: "/$(POD)": must be a relative path`],
    ["both subPath and subPathExpr", { subPath: "a", subPathExpr: "b" }, `${at}.subPathExpr: Invalid value: "b": subPathExpr and subPath are mutually exclusive`],
  ])("rejects %s (validateLocalDescendingPath)", (_name, mount, message) => {
    expect(msgs(mounted(mount))).toContain(message);
  });

  it("passes affinity, tolerations and nodeSelector to the scheduling validators", () => {
    const got = msgs(spec({ tolerations: [{ operator: "Exists", value: "x" }] }));
    expect(got.some((m) => m.startsWith("spec.tolerations[0]"))).toBe(true);
  });
});

describe("pods through the API", () => {
  const pod: Pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default" }, spec: { containers: [{ name: "c", image: "i", resources: { limits: { cpu: "1", memory: "1Gi" } } }] } };

  it("defaultPod copies limits into requests and enables service links", () => {
    const p = defaultPod(pod);
    expect(p.spec.containers[0].resources?.requests).toEqual({ cpu: "1", memory: "1Gi" });
    expect(p.spec).toHaveProperty("enableServiceLinks", true);
  });

  it("preparePodForCreate sets Pending and the QoS class", () => {
    expect(preparePodForCreate(defaultPod(pod)).status).toEqual({ phase: "Pending", qosClass: "Guaranteed" });
  });

  it("validatePod checks the metadata too", () => {
    expect(validatePod(defaultPod({ ...pod, metadata: { name: "p" } })).map((e) => e.field)).toEqual(["metadata.namespace"]);
  });

  it.each([
    ["1Gi", 2n ** 30n * 1000n],
    ["500m", 500n],
    ["1e3", 1_000_000n],
    [2, 2000n],
    ["x", undefined],
  ])("parseQuantity(%s), in millis", (q, v) => {
    const parsed = parseQuantity(q);
    expect(parsed && milliValue(parsed)).toBe(v);
  });
});
