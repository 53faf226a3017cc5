/**
 * @module
 * Builds the NodeReport the agent sends with enrollment and every sync, from facts gathered once
 * by `readNodeFacts`. Only facts that stay put between syncs belong here (no free memory, no
 * uptime): the control plane detects "nothing changed" from a digest of the request body.
 *
 * @example
 * buildNodeReport({ nodeName: "edge-1", platform: "linux", arch: "x64", cpuCount: 4, … })
 * // { labels: { "kubernetes.io/arch": "amd64", … }, capacity: { cpu: "4", memory: "…Ki", pods: "110" }, … }
 */
import type { NodeReport } from "../../src/protocol/agent.ts";
import type { NodeAddress, NodeSystemInfo } from "../../src/resources/types.ts";

export interface NetworkAddress {
  address: string;
  family: string | number;
  internal: boolean;
}

export interface NodeFacts {
  nodeName: string;
  /** `process.platform` */
  platform: string;
  /** `process.arch` */
  arch: string;
  cpuCount: number;
  totalMemoryBytes: number;
  /** `os.release()` */
  kernelVersion: string;
  /** PRETTY_NAME from /etc/os-release */
  osImage?: string;
  machineID?: string;
  bootID?: string;
  systemUUID?: string;
  /** `process.version`, e.g. "v22.1.0" */
  nodeVersion: string;
  agentVersion: string;
  /** `os.networkInterfaces()` in its own order */
  interfaces: Record<string, NetworkAddress[] | undefined>;
  runtimes: string[];
}

/** The kubelet's pod capacity default (`--max-pods`). */
const maxPods = "110";

/** Node's `process.arch` to Go's GOARCH, which `kubernetes.io/arch` carries. */
export function goArch(arch: string): string {
  const map: Record<string, string> = {
    x64: "amd64",
    arm64: "arm64",
    arm: "arm",
    ia32: "386",
    ppc64: "ppc64le",
    s390x: "s390x",
    riscv64: "riscv64",
    loong64: "loong64",
    mips: "mips",
    mipsel: "mipsle",
  };
  return map[arch] ?? arch;
}

/** Node's `process.platform` to Go's GOOS (`kubernetes.io/os`). */
export function goOs(platform: string): string {
  return platform === "win32" ? "windows" : platform;
}

/** The first non-internal IPv4 address, as the InternalIP the kubelet reports. */
export function findInternalIP(interfaces: NodeFacts["interfaces"]): string | undefined {
  for (const addresses of Object.values(interfaces)) {
    for (const a of addresses ?? []) {
      if (!a.internal && (a.family === "IPv4" || a.family === 4)) return a.address;
    }
  }
  return undefined;
}

export function buildNodeReport(facts: NodeFacts): NodeReport {
  const os = goOs(facts.platform);
  const arch = goArch(facts.arch);
  const nodeInfo: Partial<NodeSystemInfo> = {
    operatingSystem: os,
    architecture: arch,
    kernelVersion: facts.kernelVersion,
    kubeletVersion: `edgeset-agent/${facts.agentVersion}`,
    containerRuntimeVersion: `process://node-${facts.nodeVersion}`,
  };
  if (facts.osImage) nodeInfo.osImage = facts.osImage;
  if (facts.machineID) nodeInfo.machineID = facts.machineID;
  if (facts.bootID) nodeInfo.bootID = facts.bootID;
  if (facts.systemUUID) nodeInfo.systemUUID = facts.systemUUID;

  // The kubelet lists InternalIP before Hostname (nodestatus.NodeAddress).
  const addresses: NodeAddress[] = [];
  const internalIP = findInternalIP(facts.interfaces);
  if (internalIP) addresses.push({ type: "InternalIP", address: internalIP });
  addresses.push({ type: "Hostname", address: facts.nodeName });

  const capacity = {
    cpu: String(facts.cpuCount),
    memory: `${Math.floor(facts.totalMemoryBytes / 1024)}Ki`,
    pods: maxPods,
  };
  return {
    labels: {
      "kubernetes.io/hostname": facts.nodeName,
      "kubernetes.io/os": os,
      "kubernetes.io/arch": arch,
    },
    nodeInfo,
    addresses,
    capacity,
    allocatable: { ...capacity },
    runtimes: [...facts.runtimes],
  };
}
