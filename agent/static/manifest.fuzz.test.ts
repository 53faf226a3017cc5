/**
 * Property-based fuzz of static pod manifests, the agent's other outside input: a valid manifest
 * mutated structurally (see `testing/json-mutations.ts`), written as JSON or YAML, is refused with
 * a message or read as a Pod, never thrown; what is read goes on through `toStaticPod` and the
 * pod check every static pod passes, which do not throw either.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { acceptPod } from "../accept/accept-pod.ts";
import { mutate, mutations } from "../testing/json-mutations.ts";
import { parseManifest, toStaticPod } from "./manifest.ts";

const manifest = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "log", namespace: "default", labels: { app: "log" } },
  spec: {
    restartPolicy: "Always",
    volumes: [{ name: "data", hostPath: { path: "/var/log", type: "Directory" } }, { name: "scratch", emptyDir: {} }],
    containers: [
      {
        name: "main",
        image: "busybox:1.36",
        command: ["sh", "-c", "tail -f /data/syslog"],
        env: [{ name: "A", value: "1" }],
        ports: [{ containerPort: 8080, hostPort: 8080 }],
        volumeMounts: [{ name: "data", mountPath: "/data", readOnly: true }, { name: "scratch", mountPath: "/tmp/s", subPath: "x" }],
        livenessProbe: { exec: { command: ["true"] }, periodSeconds: 5 },
        resources: { limits: { cpu: "100m", memory: "32Mi" } },
      },
    ],
  },
};

describe("static pod manifests, mutated", () => {
  it("are read or refused, never thrown, as JSON and as YAML", () => {
    fc.assert(
      fc.property(mutations, fc.boolean(), (m, asYaml) => {
        const object = mutate(manifest, m);
        let text: string;
        try {
          text = asYaml ? stringify(object) : (JSON.stringify(object) ?? "null");
        } catch {
          return; // not representable (YAML of a value with a symbol key, say): nothing to write
        }
        const parsed = parseManifest(text);
        if ("error" in parsed) {
          expect(typeof parsed.error).toBe("string");
          return;
        }
        const pod = toStaticPod(parsed.pod, { nodeName: "edge-1", path: "/etc/edgeset/manifests/log.yaml", seen: 0 });
        acceptPod(pod);
      }),
      { numRuns: 1500 },
    );
  });

  it("never throws on any text", () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (text) => void parseManifest(text)), { numRuns: 1000 });
  });
});
