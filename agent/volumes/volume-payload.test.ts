import { describe, expect, it } from "vitest";
import type { ConfigMap, Pod, Secret, Volume } from "../../src/resources/types.ts";
import type { ConfigSource } from "../pods/container-env.ts";
import { holdsSecrets, makeVolumePayload, validatePayloadPath } from "./volume-payload.ts";

const b64 = (text: string) => Buffer.from(text).toString("base64");
const configMaps: ConfigMap[] = [
  {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "app", namespace: "default" },
    data: { "app.conf": "level=debug\n", extra: "x" },
    binaryData: { "logo.bin": b64("\u0001\u0002") },
  },
];
const secrets: Secret[] = [{ apiVersion: "v1", kind: "Secret", metadata: { name: "creds", namespace: "default" }, data: { token: b64("t0k3n") } }];
const config: ConfigSource = {
  configMap: (ns, name) => configMaps.find((c) => c.metadata.namespace === ns && c.metadata.name === name),
  secret: (ns, name) => secrets.find((s) => s.metadata.namespace === ns && s.metadata.name === name),
};
const pod: Pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "web", namespace: "default", uid: "u1", labels: { app: "web" } }, spec: { containers: [{ name: "main" }] } };
const facts = { nodeName: "edge-1", hostIP: "10.0.0.5" };

function files(volume: Volume) {
  const result = makeVolumePayload(pod, volume, config, facts);
  if ("error" in result) return result;
  return Object.fromEntries([...result.payload].map(([path, f]) => [path, [f.data.toString("utf8"), f.mode.toString(8)]]));
}

describe("makeVolumePayload", () => {
  it.each<{ name: string; volume: Volume; want: unknown }>([
    {
      name: "a configMap: every key, binaryData decoded, mode 0644",
      volume: { name: "v", configMap: { name: "app" } },
      want: { "app.conf": ["level=debug\n", "644"], extra: ["x", "644"], "logo.bin": ["\u0001\u0002", "644"] },
    },
    {
      name: "items pick keys, place them at their path, with their own mode or defaultMode",
      volume: { name: "v", configMap: { name: "app", defaultMode: 0o600, items: [{ key: "app.conf", path: "conf/main.conf" }, { key: "extra", path: "e", mode: 0o400 }] } },
      want: { "conf/main.conf": ["level=debug\n", "600"], e: ["x", "400"] },
    },
    {
      name: "a secret, decoded",
      volume: { name: "v", secret: { secretName: "creds", defaultMode: 0o400 } },
      want: { token: ["t0k3n", "400"] },
    },
    {
      name: "an optional configMap that does not exist is empty",
      volume: { name: "v", configMap: { name: "nope", optional: true } },
      want: {},
    },
    {
      name: "an optional source skips missing items",
      volume: { name: "v", configMap: { name: "app", optional: true, items: [{ key: "nope", path: "n" }, { key: "extra", path: "e" }] } },
      want: { e: ["x", "644"] },
    },
    {
      name: "projected: sources combined under one defaultMode, downward API included",
      volume: {
        name: "v",
        projected: {
          defaultMode: 0o440,
          sources: [
            { configMap: { name: "app", items: [{ key: "extra", path: "cfg/extra" }] } },
            { secret: { name: "creds", items: [{ key: "token", path: "cfg/token", mode: 0o400 }] } },
            { secret: { name: "nope", optional: true } },
            { downwardAPI: { items: [{ path: "labels", fieldRef: { fieldPath: "metadata.labels" } }] } },
          ],
        },
      },
      want: { "cfg/extra": ["x", "440"], "cfg/token": ["t0k3n", "400"], labels: ['app="web"', "440"] },
    },
  ])("$name", ({ volume, want }) => {
    expect(files(volume)).toEqual(want);
  });

  it.each<{ name: string; volume: Volume; error: string }>([
    { name: "a missing configMap", volume: { name: "v", configMap: { name: "nope" } }, error: 'configmap "nope" not found' },
    { name: "a missing secret", volume: { name: "v", secret: { secretName: "nope" } }, error: 'secret "nope" not found' },
    {
      name: "a missing configMap key",
      volume: { name: "v", configMap: { name: "app", items: [{ key: "color", path: "c" }] } },
      error: "configmap references non-existent config key: color",
    },
    {
      name: "a missing secret key",
      volume: { name: "v", secret: { secretName: "creds", items: [{ key: "pw", path: "p" }] } },
      error: "references non-existent secret key: pw",
    },
    {
      name: "a path that climbs out",
      volume: { name: "v", configMap: { name: "app", items: [{ key: "extra", path: "../etc/passwd" }] } },
      error: "invalid path: must not contain '..': ../etc/passwd",
    },
  ])("fails on $name", ({ volume, error }) => {
    expect(files(volume)).toEqual({ error });
  });
});

describe("validatePayloadPath", () => {
  it.each([
    ["a/b", undefined],
    ["..a", "invalid path: must not start with '..': ..a"],
    ["/abs", "invalid path: must be relative path: /abs"],
    ["", "invalid path: must not be empty"],
  ])("%j", (path, want) => {
    expect(validatePayloadPath(path)).toBe(want);
  });
});

describe("holdsSecrets", () => {
  it.each<[Volume, boolean]>([
    [{ name: "v", secret: { secretName: "s" } }, true],
    [{ name: "v", projected: { sources: [{ configMap: { name: "c" } }, { secret: { name: "s" } }] } }, true],
    [{ name: "v", projected: { sources: [{ configMap: { name: "c" } }] } }, false],
    [{ name: "v", configMap: { name: "c" } }, false],
  ])("%j -> %s", (volume, want) => {
    expect(holdsSecrets(volume)).toBe(want);
  });
});
