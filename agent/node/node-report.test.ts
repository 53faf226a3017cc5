import { describe, expect, it } from "vitest";
import { parseOsRelease } from "./node-facts.ts";
import { buildNodeReport, goArch, type NodeFacts } from "./node-report.ts";

const facts: NodeFacts = {
  nodeName: "edge-1",
  platform: "linux",
  arch: "x64",
  cpuCount: 4,
  totalMemoryBytes: 8 * 1024 * 1024 * 1024 + 512,
  kernelVersion: "6.1.0-18-amd64",
  osImage: "Debian GNU/Linux 12 (bookworm)",
  machineID: "abc",
  bootID: "boot-1",
  systemUUID: "uuid-1",
  nodeVersion: "v22.1.0",
  agentVersion: "0.1.0",
  interfaces: {
    lo: [{ address: "127.0.0.1", family: "IPv4", internal: true }],
    eth0: [
      { address: "fe80::1", family: "IPv6", internal: false },
      { address: "192.168.1.20", family: "IPv4", internal: false },
    ],
    wlan0: [{ address: "10.0.0.5", family: "IPv4", internal: false }],
  },
  runtimes: ["process"],
};

describe("buildNodeReport", () => {
  it("reports the kubelet's well-known labels", () => {
    expect(buildNodeReport(facts).labels).toEqual({
      "kubernetes.io/hostname": "edge-1",
      "kubernetes.io/os": "linux",
      "kubernetes.io/arch": "amd64",
    });
  });

  it("reports nodeInfo from the facts", () => {
    expect(buildNodeReport(facts).nodeInfo).toEqual({
      operatingSystem: "linux",
      architecture: "amd64",
      kernelVersion: "6.1.0-18-amd64",
      osImage: "Debian GNU/Linux 12 (bookworm)",
      kubeletVersion: "edgeset-agent/0.1.0",
      containerRuntimeVersion: "process://node-v22.1.0",
      machineID: "abc",
      bootID: "boot-1",
      systemUUID: "uuid-1",
    });
  });

  it("reports the first non-internal IPv4 as InternalIP, then the Hostname", () => {
    expect(buildNodeReport(facts).addresses).toEqual([
      { type: "InternalIP", address: "192.168.1.20" },
      { type: "Hostname", address: "edge-1" },
    ]);
  });

  it("reports only the Hostname without a network", () => {
    expect(buildNodeReport({ ...facts, interfaces: { lo: facts.interfaces.lo } }).addresses).toEqual([
      { type: "Hostname", address: "edge-1" },
    ]);
  });

  it("reports capacity and allocatable in Kubernetes quantities", () => {
    const report = buildNodeReport(facts);
    expect(report.capacity).toEqual({ cpu: "4", memory: "8388608Ki", pods: "110" });
    expect(report.allocatable).toEqual(report.capacity);
    expect(report.runtimes).toEqual(["process"]);
  });

  it("leaves out facts that could not be read", () => {
    const { osImage, machineID, bootID, systemUUID, ...rest } = facts;
    const info = buildNodeReport(rest).nodeInfo ?? {};
    expect(Object.keys(info)).not.toContain("osImage");
    expect(Object.keys(info)).not.toContain("machineID");
    expect(osImage && machineID && bootID && systemUUID).toBeTruthy();
  });
});

describe("goArch", () => {
  it.each([
    ["x64", "amd64"],
    ["arm64", "arm64"],
    ["arm", "arm"],
    ["ia32", "386"],
    ["ppc64", "ppc64le"],
    ["s390x", "s390x"],
  ])("%s -> %s", (arch, want) => {
    expect(goArch(arch)).toBe(want);
  });
});

describe("parseOsRelease", () => {
  it.each([
    ['NAME="Debian"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n', "Debian GNU/Linux 12 (bookworm)"],
    ["PRETTY_NAME='Alpine Linux v3.19'", "Alpine Linux v3.19"],
    ["PRETTY_NAME=Raspbian", "Raspbian"],
    ["NAME=x", undefined],
  ])("%j -> %s", (text, want) => {
    expect(parseOsRelease(text)).toBe(want);
  });
});
