import { describe, expect, it } from "vitest";
import { configReferences } from "./config-refs.ts";
import type { PodSpec } from "./types.ts";

describe("configReferences", () => {
  it.each<[string, PodSpec, string[]]>([
    ["nothing", { containers: [{ name: "c" }] }, []],
    [
      "env and envFrom",
      {
        containers: [
          {
            name: "c",
            env: [
              { name: "A", valueFrom: { configMapKeyRef: { name: "cfg", key: "a" } } },
              { name: "B", valueFrom: { secretKeyRef: { name: "creds", key: "b" } } },
              { name: "C", value: "plain" },
            ],
            envFrom: [{ configMapRef: { name: "all" } }, { secretRef: { name: "creds" } }],
          },
        ],
      },
      ["ConfigMap/all", "ConfigMap/cfg", "Secret/creds"],
    ],
    [
      "volumes, projected sources and image pull secrets",
      {
        containers: [{ name: "c" }],
        initContainers: [{ name: "i", env: [{ name: "X", valueFrom: { configMapKeyRef: { name: "init", key: "x" } } }] }],
        volumes: [
          { name: "v1", configMap: { name: "files" } },
          { name: "v2", secret: { secretName: "tls" } },
          { name: "v3", projected: { sources: [{ configMap: { name: "p1" } }, { secret: { name: "p2" } }] } },
          { name: "v4", hostPath: { path: "/var/log" } },
        ],
        imagePullSecrets: [{ name: "registry" }],
      },
      ["ConfigMap/files", "ConfigMap/init", "ConfigMap/p1", "Secret/p2", "Secret/registry", "Secret/tls"],
    ],
  ])("%s", (_name, spec, want) => {
    expect(configReferences(spec).map((r) => `${r.kind}/${r.name}`)).toEqual(want);
  });
});
