/**
 * @module
 * What `docker inspect` / `podman inspect` say about a container, reduced to what the agent
 * reports: identity (labels), state, exit, timing, image and address. Both engines print the same
 * shape for these fields; timestamps may carry nanoseconds and a zone offset, and a zero time
 * (`0001-01-01T00:00:00Z`) means "never". Pure.
 *
 * @example
 * parseInspect(stdout) // [{ id: "c0ffee…", running: true, pid: 4242, labels: {…}, startedAt: 1714557600000, … }]
 */
import type { Termination } from "../runtime.ts";

export interface InspectedContainer {
  id: string;
  name: string;
  labels: Record<string, string>;
  /** created | running | paused | restarting | removing | exited | dead */
  status: string;
  running: boolean;
  pid: number;
  exitCode: number;
  oomKilled: boolean;
  error: string;
  startedAt?: number;
  finishedAt?: number;
  createdAt?: number;
  image: string;
  imageID: string;
  ipAddress?: string;
}

/** RFC 3339 with up to nanoseconds and any offset; undefined for Go's zero time or garbage. */
export function parseEngineTime(text: unknown): number | undefined {
  if (typeof text !== "string" || text.startsWith("0001-01-01")) return undefined;
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?/.exec(text.trim());
  if (!match) return undefined;
  const fraction = (match[2] ?? "").slice(0, 4);
  const ms = Date.parse(`${match[1]}${fraction}${match[3] ?? "Z"}`);
  return Number.isNaN(ms) ? undefined : ms;
}

type Raw = Record<string, any>;

function ipOf(raw: Raw): string | undefined {
  const settings = raw.NetworkSettings ?? {};
  if (typeof settings.IPAddress === "string" && settings.IPAddress) return settings.IPAddress;
  for (const network of Object.values<Raw>(settings.Networks ?? {})) {
    if (typeof network?.IPAddress === "string" && network.IPAddress) return network.IPAddress;
  }
  return undefined;
}

/** docker prints the image id as `sha256:<hex>`, podman 4 the bare hex: both become the former (CRI's imageRef). */
function imageIdOf(value: unknown): string {
  const id = String(value ?? "");
  return /^[0-9a-f]{64}$/.test(id) ? `sha256:${id}` : id;
}

export function parseInspect(stdout: string): InspectedContainer[] {
  const parsed = JSON.parse(stdout) as unknown;
  const list = Array.isArray(parsed) ? (parsed as Raw[]) : [];
  return list.map((raw) => {
    const state: Raw = raw.State ?? {};
    const config: Raw = raw.Config ?? {};
    return {
      id: String(raw.Id ?? raw.ID ?? ""),
      name: String(raw.Name ?? "").replace(/^\//, ""),
      labels: (config.Labels ?? raw.Labels ?? {}) as Record<string, string>,
      status: String(state.Status ?? (state.Running ? "running" : "exited")).toLowerCase(),
      running: Boolean(state.Running),
      pid: Number(state.Pid ?? 0),
      exitCode: Number(state.ExitCode ?? 0),
      oomKilled: Boolean(state.OOMKilled),
      error: String(state.Error ?? ""),
      startedAt: parseEngineTime(state.StartedAt),
      finishedAt: parseEngineTime(state.FinishedAt),
      createdAt: parseEngineTime(raw.Created),
      image: String(config.Image ?? raw.ImageName ?? ""),
      imageID: imageIdOf(raw.Image),
      ipAddress: ipOf(raw),
    };
  });
}

/** The end of an exited container, as the kubelet reports it (reason OOMKilled, Completed or Error). */
export function terminationOf(c: InspectedContainer, scheme: string, now: number): Termination {
  const termination: Termination = {
    exitCode: c.exitCode,
    reason: c.oomKilled ? "OOMKilled" : c.exitCode === 0 ? "Completed" : "Error",
    finishedAt: c.finishedAt ?? now,
    containerID: `${scheme}://${c.id}`,
  };
  if (c.startedAt !== undefined) termination.startedAt = c.startedAt;
  if (c.error) termination.message = c.error;
  return termination;
}
