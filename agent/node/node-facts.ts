/**
 * @module
 * Reads the facts of the machine the agent runs on (the I/O half of the node report). Files that
 * are missing or unreadable (not Linux, not root) simply leave their field out.
 *
 * @example
 * const report = buildNodeReport(readNodeFacts("edge-1", ["process"]));
 */
import { readFileSync } from "node:fs";
import os from "node:os";
import { agentVersion } from "../version.ts";
import type { NodeFacts } from "./node-report.ts";

function readTrimmed(path: string): string | undefined {
  try {
    const text = readFileSync(path, "utf8").trim();
    return text === "" ? undefined : text;
  } catch {
    return undefined;
  }
}

/** PRETTY_NAME from an os-release file, unquoted. */
export function parseOsRelease(text: string): string | undefined {
  for (const line of text.split("\n")) {
    const match = /^PRETTY_NAME=(.*)$/.exec(line.trim());
    if (match) return match[1].replace(/^(["'])(.*)\1$/, "$2");
  }
  return undefined;
}

export function readNodeFacts(nodeName: string, runtimes: string[]): NodeFacts {
  const osRelease = readTrimmed("/etc/os-release") ?? readTrimmed("/usr/lib/os-release");
  return {
    nodeName,
    platform: process.platform,
    arch: process.arch,
    cpuCount: os.cpus().length || os.availableParallelism(),
    totalMemoryBytes: os.totalmem(),
    kernelVersion: os.release(),
    osImage: osRelease ? parseOsRelease(osRelease) : undefined,
    machineID: readTrimmed("/etc/machine-id"),
    bootID: readTrimmed("/proc/sys/kernel/random/boot_id"),
    systemUUID: readTrimmed("/sys/class/dmi/id/product_uuid")?.toLowerCase(),
    nodeVersion: process.version,
    agentVersion,
    interfaces: os.networkInterfaces(),
    runtimes,
  };
}
