import { describe, expect, it } from "vitest";
import type { PodTemplateSpec } from "../../resources/types.ts";
import { goPodTemplate } from "./go-json.ts";

const template = (spec: Record<string, unknown>, metadata: Record<string, unknown> = { labels: { app: "a" } }) =>
  ({ metadata, spec: { containers: [{ name: "c", image: "i" }], ...spec } }) as unknown as PodTemplateSpec;

/** The JSON Go writes for the template's spec (metadata checked separately). */
const specJson = (t: PodTemplateSpec) => JSON.stringify(goPodTemplate(t).spec);

describe("goPodTemplate", () => {
  it("writes metadata with creationTimestamp null and sorted keys", () => {
    expect(JSON.stringify(goPodTemplate(template({}, { labels: { z: "1", a: "" }, annotations: {}, creationTimestamp: "2026-01-01T00:00:00Z" })).metadata)).toBe(
      `{"creationTimestamp":null,"labels":{"a":"","z":"1"}}`,
    );
  });

  it.each([
    ["containers get resources {}", {}, `{"containers":[{"image":"i","name":"c","resources":{}}]}`],
    ["keys sorted at every level", { tolerations: [{ operator: "Exists", key: "k" }] }, `{"containers":[{"image":"i","name":"c","resources":{}}],"tolerations":[{"key":"k","operator":"Exists"}]}`],
    ["empty lists and maps left out", { volumes: [], nodeSelector: {}, imagePullSecrets: null }, `{"containers":[{"image":"i","name":"c","resources":{}}]}`],
    ["zero omitempty scalars left out", { hostNetwork: false, nodeName: "", dnsPolicy: "ClusterFirst" }, `{"containers":[{"image":"i","name":"c","resources":{}}],"dnsPolicy":"ClusterFirst"}`],
    ["pointer scalars kept at zero", { terminationGracePeriodSeconds: 0, priority: 0 }, `{"containers":[{"image":"i","name":"c","resources":{}}],"priority":0,"terminationGracePeriodSeconds":0}`],
    ["empty pointer structs kept", { securityContext: {}, volumes: [{ name: "v", emptyDir: {} }] }, `{"containers":[{"image":"i","name":"c","resources":{}}],"securityContext":{},"volumes":[{"emptyDir":{},"name":"v"}]}`],
    ["hostPath type kept when empty", { volumes: [{ name: "v", hostPath: { path: "/x", type: "" } }] }, `{"containers":[{"image":"i","name":"c","resources":{}}],"volumes":[{"hostPath":{"path":"/x","type":""},"name":"v"}]}`],
    ["map values kept as data", { nodeSelector: { b: "", a: "x" } }, `{"containers":[{"image":"i","name":"c","resources":{}}],"nodeSelector":{"a":"x","b":""}}`],
    ["list items kept in order", { containers: [{ name: "c", image: "i", command: ["sh", "", "-c"] }] }, `{"containers":[{"command":["sh","","-c"],"image":"i","name":"c","resources":{}}]}`],
    ["resources as given", { containers: [{ name: "c", image: "i", resources: { limits: { cpu: "1" }, requests: {} } }] }, `{"containers":[{"image":"i","name":"c","resources":{"limits":{"cpu":"1"}}}]}`],
  ])("%s", (_name, spec, expected) => {
    expect(specJson(template(spec))).toBe(expected);
  });
});
