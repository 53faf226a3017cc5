import { describe, expect, it } from "vitest";
import { defaultPullPolicy } from "../pods/pull-policy.ts";
import { parseManifest, toStaticPod } from "./manifest.ts";

const yamlPod = `
apiVersion: v1
kind: Pod
metadata:
  name: log-shipper
  labels: { app: logs }
spec:
  containers:
    - name: main
      image: busybox:1.36
      command: ["sh", "-c", "sleep 1000"]
      readinessProbe:
        exec: { command: ["true"] }
`;

describe("parseManifest", () => {
  it("reads a YAML pod and applies the v1 defaults", () => {
    const result = parseManifest(yamlPod);
    if ("error" in result) throw new Error(result.error);
    expect(result.pod.spec.restartPolicy).toBe("Always");
    expect(result.pod.spec.terminationGracePeriodSeconds).toBe(30);
    expect(result.pod.spec.containers[0]).toMatchObject({
      imagePullPolicy: "IfNotPresent",
      readinessProbe: { periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
    });
  });

  it("reads JSON too", () => {
    const json = JSON.stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "j" }, spec: { containers: [{ name: "c", image: "x" }] } });
    expect(parseManifest(json)).toMatchObject({ pod: { metadata: { name: "j" } } });
  });

  it.each([
    { name: "broken YAML", text: "apiVersion: v1\nkind: [Pod\n", error: "not valid YAML or JSON" },
    { name: "an empty file", text: "\n# nothing\n", error: "the file holds no object" },
    { name: "two documents", text: `${yamlPod}\n---\n${yamlPod}`, error: "more than one object" },
    { name: "another kind", text: "apiVersion: apps/v1\nkind: DaemonSet\n", error: 'apiVersion: Unsupported value: "apps/v1"' },
    { name: "a Service", text: "apiVersion: v1\nkind: Service\n", error: 'kind: Unsupported value: "Service": supported values: "Pod"' },
    { name: "no name", text: "apiVersion: v1\nkind: Pod\nmetadata: {}\nspec: {}\n", error: "metadata.name: Required value" },
    { name: "a bad name", text: "apiVersion: v1\nkind: Pod\nmetadata: { name: Bad_Name }\nspec: {}\n", error: "metadata.name: Invalid value" },
    { name: "no containers", text: "apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec: { containers: [] }\n", error: "spec.containers: Required value" },
    {
      name: "a container without image",
      text: "apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec: { containers: [{ name: c }] }\n",
      error: "spec.containers[0].image: Required value",
    },
    {
      name: "duplicate containers",
      text: "apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec: { containers: [{ name: c, image: x }, { name: c, image: x }] }\n",
      error: 'spec.containers[1].name: Duplicate value: "c"',
    },
    {
      name: "a probe with two handlers",
      text: "apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec: { containers: [{ name: c, image: x, livenessProbe: { exec: { command: [a] }, tcpSocket: { port: 1 } } }] }\n",
      error: "spec.containers[0].livenessProbe.tcpSocket: Forbidden",
    },
    {
      name: "a liveness successThreshold other than 1",
      text: "apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec: { containers: [{ name: c, image: x, livenessProbe: { exec: { command: [a] }, successThreshold: 2 } }] }\n",
      error: "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
    },
    {
      name: "a ConfigMap volume",
      text: "apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec: { volumes: [{ name: v, configMap: { name: c } }], containers: [{ name: c, image: x }] }\n",
      error: "spec.volumes[0]: Forbidden: a static pod cannot reference API objects",
    },
    {
      name: "a mount of an unknown volume",
      text: "apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec: { containers: [{ name: c, image: x, volumeMounts: [{ name: v, mountPath: /x }] }] }\n",
      error: 'spec.containers[0].volumeMounts[0].name: Not found: "v"',
    },
    { name: "a bad restartPolicy", text: "apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec: { restartPolicy: Sometimes, containers: [{ name: c, image: x }] }\n", error: "spec.restartPolicy: Unsupported value" },
  ])("rejects $name, naming the field", ({ text, error }) => {
    const result = parseManifest(text);
    expect("error" in result && result.error).toContain(error);
  });
});

describe("parseManifest on hostile files: an error naming the field, never a throw", () => {
  const pod = (spec: string) => `apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n${spec}\n`;
  const bomb = ["a: &a [x, x, x, x, x, x, x, x, x]", ..."bcdefg".split("").map((k, i) => `${k}: &${k} [${Array(9).fill(`*${"abcdefg"[i]}`).join(", ")}]`)].join("\n");
  it.each([
    ["an alias bomb", bomb, "not valid YAML or JSON: Excessive alias count"],
    ["flow nesting 20000 deep", "[".repeat(20_000), "not valid YAML or JSON"],
    ["JSON nesting 20000 deep", `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"i","args":${"[".repeat(20_000)}${"]".repeat(20_000)}}]}}`, "not valid YAML or JSON"],
    ["volumes that are a map", pod("  volumes: { a: 1 }\n  containers: [{ name: c, image: i }]"), "spec.volumes: Invalid value: must be a list"],
    ["a null volume", pod("  volumes: [null]\n  containers: [{ name: c, image: i }]"), "spec.volumes[0]: Invalid value: must be an object"],
    ["a volume named ..", pod("  volumes: [{ name: '..', emptyDir: {} }]\n  containers: [{ name: c, image: i }]"), 'spec.volumes[0].name: Invalid value: "..": must be a DNS-1123 label'],
    ["a volume name with slashes", pod("  volumes: [{ name: 'a/../../b', emptyDir: {} }]\n  containers: [{ name: c, image: i }]"), "spec.volumes[0].name: Invalid value"],
    ["env that is a number", pod("  containers: [{ name: c, image: i, env: 5 }]"), "spec.containers[0].env: Invalid value: must be a list"],
    ["volumeMounts that are a number", pod("  containers: [{ name: c, image: i, volumeMounts: 5 }]"), "spec.containers[0].volumeMounts: Invalid value: must be a list"],
    ["ports that are a number", pod("  containers: [{ name: c, image: i, ports: 5 }]"), "spec.containers[0].ports: Invalid value: must be a list"],
    ["a null port", pod("  containers: [{ name: c, image: i, ports: [null] }]"), "spec.containers[0].ports[0]: Invalid value: must be an object"],
    ["an image that is a number", pod("  containers: [{ name: c, image: 5 }]"), "spec.containers[0].image: Invalid value: 5: must be a string"],
    ["a container name that is a number", pod("  containers: [{ name: 5, image: i }]"), "spec.containers[0].name: Invalid value: 5"],
    ["a probe that is a list", pod("  containers: [{ name: c, image: i, readinessProbe: [1] }]"), "spec.containers[0].readinessProbe: Invalid value: must be an object"],
    ["null init containers", pod("  initContainers: [null]\n  containers: [{ name: c, image: i }]"), "spec.initContainers[0]: Invalid value: must be an object"],
  ])("%s", (_what, text, error) => {
    const result = parseManifest(text);
    expect("error" in result && result.error).toContain(error);
  });
});

describe("toStaticPod", () => {
  const parsed = parseManifest(yamlPod);
  if ("error" in parsed) throw new Error(parsed.error);
  const source = { nodeName: "Edge-1", path: "/etc/edgeset/manifests/log.yaml", seen: Date.UTC(2024, 4, 1, 10, 0, 0, 120) };

  it("makes the pod the node's own, as the kubelet's applyDefaults does", () => {
    const pod = toStaticPod(parsed.pod, source);
    expect(pod.metadata).toMatchObject({
      name: "log-shipper-edge-1",
      namespace: "default",
      labels: { app: "logs" },
      annotations: {
        "kubernetes.io/config.hash": pod.metadata.uid,
        "kubernetes.io/config.source": "file",
        "kubernetes.io/config.seen": "2024-05-01T10:00:00.12Z",
      },
    });
    expect(pod.metadata.uid).toMatch(/^[0-9a-f]{32}$/);
    expect(pod.spec.nodeName).toBe("Edge-1");
    expect(pod.spec.tolerations).toEqual([{ operator: "Exists", effect: "NoExecute" }]);
  });

  it.each([
    { name: "the same file read again", other: { ...source, seen: source.seen + 60_000 }, text: yamlPod, same: true },
    { name: "a changed file", other: source, text: yamlPod.replace("1000", "2000"), same: false },
    { name: "the same content in another file", other: { ...source, path: "/etc/edgeset/manifests/other.yaml" }, text: yamlPod, same: false },
    { name: "another node", other: { ...source, nodeName: "edge-2" }, text: yamlPod, same: false },
  ])("gives $name the uid it should", ({ other, text, same }) => {
    const again = parseManifest(text);
    if ("error" in again) throw new Error(again.error);
    expect(toStaticPod(again.pod, other).metadata.uid === toStaticPod(parsed.pod, source).metadata.uid).toBe(same);
  });
});

describe("defaultPullPolicy", () => {
  it.each([
    ["nginx", "Always"],
    ["nginx:latest", "Always"],
    ["nginx:1.27", "IfNotPresent"],
    ["registry:5000/app", "Always"],
    ["registry:5000/app:v2", "IfNotPresent"],
    ["app@sha256:abc", "IfNotPresent"],
  ])("%s -> %s", (image, want) => {
    expect(defaultPullPolicy(image)).toBe(want);
  });
});
