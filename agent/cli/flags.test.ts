import { describe, expect, it } from "vitest";
import { parseFlags, usage } from "./flags.ts";

const server = ["--server", "https://cp.example"];

describe("parseFlags accepts", () => {
  it.each([
    {
      name: "minimal flags with defaults",
      argv: server,
      env: {},
      want: {
        server: "https://cp.example/",
        nodeName: "edge-host",
        labels: {},
        stateDir: "/var/lib/edgeset",
        syncIntervalSeconds: 10,
        runtime: "process",
        stopPodsOnExit: false,
      },
    },
    {
      name: "every flag as --name value",
      argv: [
        ...server,
        "--bootstrap-token", "tok",
        "--node-name", "n1",
        "--labels", "zone=a,example.com/tier=edge",
        "--state-dir", "/tmp/s",
        "--sync-interval", "2.5",
        "--ca-file", "/etc/ca.pem",
        "--runtime", "podman",
        "--pod-manifest-dir", "/etc/edgeset/manifests",
        "--stop-pods-on-exit",
      ],
      env: {},
      want: {
        server: "https://cp.example/",
        bootstrapToken: "tok",
        nodeName: "n1",
        labels: { zone: "a", "example.com/tier": "edge" },
        stateDir: "/tmp/s",
        syncIntervalSeconds: 2.5,
        caFile: "/etc/ca.pem",
        runtime: "podman",
        podManifestDir: "/etc/edgeset/manifests",
        stopPodsOnExit: true,
      },
    },
    {
      name: "--name=value form",
      argv: ["--server=http://127.0.0.1:8787/base", "--node-name=n2", "--labels=a=b"],
      env: {},
      want: { server: "http://127.0.0.1:8787/base/", nodeName: "n2", labels: { a: "b" } },
    },
    {
      name: "environment variables",
      argv: [],
      env: {
        EDGESET_SERVER: "http://cp:1",
        EDGESET_BOOTSTRAP_TOKEN: "t",
        EDGESET_NODE_NAME: "from-env",
        EDGESET_LABELS: "k=v",
        EDGESET_STATE_DIR: "/d",
        EDGESET_CA_FILE: "/ca",
        EDGESET_SYNC_INTERVAL: "30",
        EDGESET_STOP_PODS_ON_EXIT: "true",
      },
      want: {
        server: "http://cp:1/",
        bootstrapToken: "t",
        nodeName: "from-env",
        labels: { k: "v" },
        stateDir: "/d",
        caFile: "/ca",
        syncIntervalSeconds: 30,
        stopPodsOnExit: true,
      },
    },
    {
      name: "a flag wins over its env var",
      argv: [...server, "--node-name", "flag"],
      env: { EDGESET_NODE_NAME: "env" },
      want: { nodeName: "flag" },
    },
    {
      name: "a runtime list",
      argv: [...server, "--runtime", "docker", "--runtimes", "docker, process,docker"],
      env: {},
      want: { runtime: "docker", runtimes: ["docker", "process"] },
    },
    {
      name: "the session doorbell by flag",
      argv: [...server, "--session-doorbell"],
      env: {},
      want: { sessionDoorbell: true },
    },
    {
      name: "the session doorbell from the environment",
      argv: server,
      env: { EDGESET_SESSION_DOORBELL: "true" },
      want: { sessionDoorbell: true },
    },
    {
      name: "a runtime list from the environment",
      argv: server,
      env: { EDGESET_RUNTIMES: "process" },
      want: { runtimes: ["process"] },
    },
    {
      name: "an empty label value",
      argv: [...server, "--labels", "edge="],
      env: {},
      want: { labels: { edge: "" } },
    },
  ])("$name", ({ argv, env, want }) => {
    const result = parseFlags(argv, env, "Edge-Host");
    expect(result.kind).toBe("config");
    if (result.kind === "config") expect(result.config).toMatchObject(want);
  });
});

describe("parseFlags rejects", () => {
  it.each([
    { name: "missing server", argv: [], host: "h", error: "--server is required" },
    { name: "server that is not a URL", argv: ["--server", "cp.example"], host: "h", error: "is not a URL" },
    { name: "server with another scheme", argv: ["--server", "ftp://cp"], host: "h", error: "http:// or https://" },
    { name: "unknown flag", argv: [...server, "--nope"], host: "h", error: "unknown flag --nope" },
    { name: "flag without a value", argv: [...server, "--state-dir"], host: "h", error: "--state-dir needs a value" },
    { name: "stray argument", argv: [...server, "extra"], host: "h", error: 'unexpected argument "extra"' },
    { name: "hostname that is no node name", argv: server, host: "my_host", error: "set --node-name" },
    { name: "invalid node name", argv: [...server, "--node-name", "-bad"], host: "h", error: "--node-name" },
    { name: "label without =", argv: [...server, "--labels", "zone"], host: "h", error: "is not key=value" },
    { name: "label value too long", argv: [...server, "--labels", `k=${"v".repeat(64)}`], host: "h", error: "at most 63" },
    { name: "label key with a bad prefix", argv: [...server, "--labels", "Bad_/k=v"], host: "h", error: "prefix" },
    { name: "zero sync interval", argv: [...server, "--sync-interval", "0"], host: "h", error: "--sync-interval" },
    { name: "sync interval that is not a number", argv: [...server, "--sync-interval", "10s"], host: "h", error: "--sync-interval" },
    { name: "an unknown runtime", argv: [...server, "--runtime", "containerd"], host: "h", error: '"containerd" is not one of process, docker, podman' },
    { name: "an unknown runtime in the list", argv: [...server, "--runtimes", "process,crio"], host: "h", error: '--runtimes: "crio" is not one of process, docker, podman' },
    { name: "an empty runtime list", argv: [...server, "--runtimes", ","], host: "h", error: "--runtimes: name at least one runtime" },
    { name: "a runtime list without the default", argv: [...server, "--runtimes", "docker"], host: "h", error: '--runtimes: the default runtime "process" (--runtime) is not in the list' },
    { name: "bad boolean", argv: [...server, "--stop-pods-on-exit=maybe"], host: "h", error: "not true or false" },
  ])("$name", ({ argv, host, error }) => {
    const result = parseFlags(argv, {}, host);
    expect(result.kind).toBe("error");
    if (result.kind === "error") expect(result.message).toContain(error);
  });

  it("reports every problem at once", () => {
    const result = parseFlags(["--sync-interval", "x", "--nope"], {}, "h");
    expect(result.kind === "error" && result.message.split("\n")).toHaveLength(3);
  });
});

describe("help", () => {
  it.each([["--help"], ["-h"]])("%s asks for help even with other errors", (flag) => {
    expect(parseFlags([flag, "--nope"], {}, "h")).toEqual({ kind: "help" });
  });

  it("documents every env var", () => {
    for (const name of ["EDGESET_SERVER", "EDGESET_BOOTSTRAP_TOKEN", "EDGESET_NODE_NAME", "EDGESET_LABELS", "EDGESET_STATE_DIR", "EDGESET_CA_FILE", "EDGESET_SYNC_INTERVAL"]) {
      expect(usage).toContain(name);
    }
  });
});

describe("container log rotation flags", () => {
  it("defaults to the kubelet's 10Mi x 5 and takes quantities", () => {
    const base = ["--server", "https://cp.example"];
    const parsed = parseFlags([...base, "--container-log-max-size", "1Mi", "--container-log-max-files", "3"], {}, "edge-1");
    expect(parsed).toMatchObject({ kind: "config", config: { containerLogMaxBytes: 1024 * 1024, containerLogMaxFiles: 3 } });
    const defaults = parseFlags(base, {}, "edge-1");
    expect(defaults).toMatchObject({ kind: "config", config: { nodeName: "edge-1" } });
    expect(defaults.kind === "config" ? defaults.config.containerLogMaxBytes : "error").toBeUndefined();
    expect(parseFlags([...base, "--container-log-max-size", "12"], {}, "edge-1")).toMatchObject({ kind: "error", message: expect.stringContaining("--container-log-max-size") });
    expect(parseFlags([...base, "--container-log-max-files", "1"], {}, "edge-1")).toMatchObject({ kind: "error", message: expect.stringContaining("--container-log-max-files") });
  });
});
