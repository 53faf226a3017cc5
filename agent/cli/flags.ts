/**
 * @module
 * Command-line flags and their `EDGESET_*` environment fallbacks, parsed and validated without
 * touching the process (argv, env and the hostname are parameters). A flag wins over its env var.
 *
 * @example
 * parseFlags(["--server", "https://cp.example", "--labels", "zone=a"], {}, "Edge-1")
 * // { kind: "config", config: { server: "https://cp.example/", nodeName: "edge-1", labels: { zone: "a" }, … } }
 */
import { parseArgs } from "node:util";
import { isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from "../../src/protocol/names.ts";
import { parseQuantity, value } from "../../src/protocol/quantity.ts";
import { kubeletLogRotation } from "../logs/container-log.ts";
import { parseMaintenanceWindow, type MaintenanceWindow } from "../defer/maintenance-window.ts";
import type { Labels } from "../../src/resources/types.ts";

export interface AgentConfig {
  /** Normalised control-plane URL (always ends with "/"). */
  server: string;
  bootstrapToken?: string;
  nodeName: string;
  /** Labels the node starts with (applied at enrollment only). */
  labels: Labels;
  stateDir: string;
  syncIntervalSeconds: number;
  caFile?: string;
  /** The runtime of pods without a runtimeClassName. */
  runtime: RuntimeName;
  /** The runtimes the device may use (`--runtimes`); unset: all of them, each when it answers. */
  runtimes?: RuntimeName[];
  /** Static pod manifests (`--pod-manifest-dir`). */
  podManifestDir?: string;
  stopPodsOnExit: boolean;
  /** The kubelet's containerLogMaxSize (bytes) and containerLogMaxFiles. */
  containerLogMaxBytes?: number;
  containerLogMaxFiles?: number;
  /** `--maintenance-window`: outside it (device time) the device defers updates (allow-defer DaemonSets). */
  maintenanceWindow?: MaintenanceWindow;
  /** Keep a socket open to the control plane so operator sessions start at once (`--session-doorbell`). */
  sessionDoorbell?: boolean;
}

export const runtimeNames = ["process", "docker", "podman"] as const;
export type RuntimeName = (typeof runtimeNames)[number];

export type ParseResult =
  | { kind: "config"; config: AgentConfig }
  | { kind: "help" }
  | { kind: "error"; message: string };

export const defaultStateDir = "/var/lib/edgeset";

interface FlagSpec {
  name: string;
  env: string;
  boolean?: boolean;
  help: string;
}

const flagSpecs: FlagSpec[] = [
  { name: "server", env: "EDGESET_SERVER", help: "control plane URL, e.g. https://edgeset.example.com (required)" },
  { name: "bootstrap-token", env: "EDGESET_BOOTSTRAP_TOKEN", help: "token to enroll with; not needed once enrolled" },
  { name: "node-name", env: "EDGESET_NODE_NAME", help: "node name (default: the hostname, lowercased)" },
  { name: "labels", env: "EDGESET_LABELS", help: "labels for a new node: k=v,k2=v2" },
  { name: "state-dir", env: "EDGESET_STATE_DIR", help: `where credential, assignments and pod logs live (default ${defaultStateDir})` },
  { name: "sync-interval", env: "EDGESET_SYNC_INTERVAL", help: "seconds between syncs unless the server says otherwise (default 10)" },
  { name: "ca-file", env: "EDGESET_CA_FILE", help: "PEM file of certificates to trust for the server (default: system store)" },
  { name: "runtime", env: "EDGESET_RUNTIME", help: "runtime of pods without runtimeClassName: process (default), docker or podman" },
  { name: "runtimes", env: "EDGESET_RUNTIMES", help: "runtimes this device may use, e.g. process,podman (default: process, docker, podman, each when it answers)" },
  { name: "pod-manifest-dir", env: "EDGESET_POD_MANIFEST_DIR", help: "directory of static pod manifests (YAML or JSON, one Pod per file)" },
  { name: "container-log-max-size", env: "EDGESET_CONTAINER_LOG_MAX_SIZE", help: "rotate a container's log at this size, e.g. 10Mi (default)" },
  { name: "container-log-max-files", env: "EDGESET_CONTAINER_LOG_MAX_FILES", help: "log files kept per container instance, the live one included (default 5)" },
  { name: "maintenance-window", env: "EDGESET_MAINTENANCE_WINDOW", help: "update only inside HH:MM-HH:MM device time, e.g. 02:00-04:00 (DaemonSets with allow-defer)" },
  {
    name: "session-doorbell",
    env: "EDGESET_SESSION_DOORBELL",
    boolean: true,
    help: "keep one WebSocket open to the control plane so kubectl logs/exec/port-forward start at once, not at the next sync (default: off)",
  },
  {
    name: "stop-pods-on-exit",
    env: "EDGESET_STOP_PODS_ON_EXIT",
    boolean: true,
    help: "stop the workloads on SIGTERM/SIGINT (default: they keep running)",
  },
  { name: "help", env: "", boolean: true, help: "show this help" },
];

export const usage = [
  "Usage: edgeset-agent --server URL [--bootstrap-token T] [flags]",
  "       edgeset-agent defer --for 30m [--reason TEXT] [--state-dir DIR]   (defer updates on this device)",
  "       edgeset-agent defer --clear [--state-dir DIR]",
  "       (node edgeset-agent.cjs …, or node agent/main.ts … from a checkout)",
  "",
  "Runs the edgeset device agent: enrolls the node, syncs with the control plane and runs the",
  "pods assigned to it. Every flag can also be set with the environment variable shown.",
  "",
  ...flagSpecs.map((f) => {
    const left = `  --${f.name}${f.boolean ? "" : " VALUE"}`.padEnd(30);
    return `${left}${f.help}${f.env ? ` [${f.env}]` : ""}`;
  }),
  "",
].join("\n");

/** DNS-1123 subdomain, as Kubernetes requires for node names (IsDNS1123Subdomain). */
export function isDns1123Subdomain(value: string): boolean {
  return isDNS1123Subdomain(value).length === 0;
}

/** Label key and value rules of IsQualifiedName / IsValidLabelValue (src/protocol/names.ts); the problem or undefined. */
export function validateLabel(key: string, value: string): string | undefined {
  const slash = key.indexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  if (prefix !== undefined && !isDns1123Subdomain(prefix)) {
    return `label key ${JSON.stringify(key)}: prefix must be a DNS-1123 subdomain`;
  }
  if (isQualifiedName(key).length > 0) {
    return `label key ${JSON.stringify(key)}: name must be 1-63 alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric character`;
  }
  if (isValidLabelValue(value).length > 0) {
    return `label ${JSON.stringify(key)}: value ${JSON.stringify(value)} must be at most 63 alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric character`;
  }
  return undefined;
}

function parseLabels(text: string, errors: string[]): Labels {
  const labels: Labels = {};
  for (const item of text.split(",")) {
    const pair = item.trim();
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    if (eq < 0) {
      errors.push(`--labels: ${JSON.stringify(pair)} is not key=value`);
      continue;
    }
    const key = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    const problem = validateLabel(key, value);
    if (problem) errors.push(`--labels: ${problem}`);
    else labels[key] = value;
  }
  return labels;
}

/** `--runtimes`: known names, no repeats, and the default `--runtime` among them. */
function parseRuntimes(text: string, defaultRuntime: RuntimeName, errors: string[]): RuntimeName[] {
  const names = text.split(",").map((n) => n.trim()).filter(Boolean);
  const unknown = names.filter((n) => !runtimeNames.includes(n as RuntimeName));
  if (names.length === 0) errors.push("--runtimes: name at least one runtime (process, docker, podman)");
  for (const name of unknown) errors.push(`--runtimes: ${JSON.stringify(name)} is not one of ${runtimeNames.join(", ")}`);
  if (names.length > 0 && unknown.length === 0 && !names.includes(defaultRuntime)) {
    errors.push(`--runtimes: the default runtime ${JSON.stringify(defaultRuntime)} (--runtime) is not in the list`);
  }
  return [...new Set(names)] as RuntimeName[];
}

function parseServer(text: string, errors: string[]): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    errors.push(`--server: ${JSON.stringify(text)} is not a URL`);
    return "";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    errors.push(`--server: ${JSON.stringify(text)} must be an http:// or https:// URL`);
  }
  if (url.search || url.hash) errors.push("--server: the URL must not have a query or fragment");
  if (url.username || url.password) errors.push("--server: put no credentials in the URL; use --bootstrap-token");
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url.href;
}

/** parseArgs options from the flag table: every value a string, so a boolean may be `--flag=false`. */
const parseOptions = Object.fromEntries(flagSpecs.map((f) => [f.name, { type: "string" as const, ...(f.name === "help" ? { short: "h" } : {}) }]));

/**
 * Reads argv (without the node and script paths) and env into flag name -> raw value, through
 * `node:util` parseArgs (non-strict, so every problem is reported in our words, all at once).
 */
function collectRaw(argv: string[], env: Record<string, string | undefined>, errors: string[]): Map<string, string> {
  const raw = new Map<string, string>();
  for (const spec of flagSpecs) {
    const fromEnv = spec.env ? env[spec.env] : undefined;
    if (fromEnv !== undefined && fromEnv !== "") raw.set(spec.name, fromEnv);
  }
  const { tokens } = parseArgs({ args: argv, options: parseOptions, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind === "positional") {
      errors.push(`unexpected argument ${JSON.stringify(token.value)}`);
      continue;
    }
    if (token.kind === "option-terminator") continue;
    const spec = flagSpecs.find((f) => f.name === token.name);
    if (!spec) {
      errors.push(`unknown flag --${token.name}`);
      continue;
    }
    if (spec.boolean) {
      // A boolean takes no separate value: `--stop-pods-on-exit extra` leaves "extra" a stray argument.
      if (token.value !== undefined && !token.inlineValue) errors.push(`unexpected argument ${JSON.stringify(token.value)}`);
      raw.set(spec.name, token.inlineValue ? token.value! : "true");
      continue;
    }
    // Without an inline value, parseArgs takes the next argument whatever it is; another flag is not a value.
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith("--"))) errors.push(`--${spec.name} needs a value`);
    else raw.set(spec.name, token.value);
  }
  return raw;
}

function parseBoolean(name: string, text: string | undefined, errors: string[]): boolean {
  if (text === undefined) return false;
  const lower = text.toLowerCase();
  if (["true", "1", "yes"].includes(lower)) return true;
  if (["false", "0", "no"].includes(lower)) return false;
  errors.push(`--${name}: ${JSON.stringify(text)} is not true or false`);
  return false;
}

export function parseFlags(argv: string[], env: Record<string, string | undefined>, hostname: string): ParseResult {
  const errors: string[] = [];
  const raw = collectRaw(argv, env, errors);
  if (parseBoolean("help", raw.get("help"), errors)) return { kind: "help" };

  const serverText = raw.get("server");
  const server = serverText === undefined ? "" : parseServer(serverText, errors);
  if (serverText === undefined) errors.push("--server is required (or set EDGESET_SERVER)");

  const nodeName = raw.get("node-name") ?? hostname.toLowerCase();
  if (!isDns1123Subdomain(nodeName)) {
    errors.push(
      `--node-name: ${JSON.stringify(nodeName)} is not a valid node name (lowercase letters, digits, '-' and '.', at most 253 characters); set --node-name`,
    );
  }

  const labels = parseLabels(raw.get("labels") ?? "", errors);

  const intervalText = raw.get("sync-interval") ?? "10";
  const syncIntervalSeconds = Number(intervalText);
  if (!/^\d+(\.\d+)?$/.test(intervalText.trim()) || !(syncIntervalSeconds > 0) || syncIntervalSeconds > 86_400) {
    errors.push(`--sync-interval: ${JSON.stringify(intervalText)} must be a number of seconds between 0 and 86400`);
  }

  const runtime = (raw.get("runtime") ?? "process") as RuntimeName;
  if (!runtimeNames.includes(runtime)) errors.push(`--runtime: ${JSON.stringify(runtime)} is not one of ${runtimeNames.join(", ")}`);

  const runtimesText = raw.get("runtimes");
  const runtimes = runtimesText === undefined ? undefined : parseRuntimes(runtimesText, runtime, errors);

  const stateDir = raw.get("state-dir") ?? defaultStateDir;
  if (stateDir === "") errors.push("--state-dir must not be empty");

  const stopPodsOnExit = parseBoolean("stop-pods-on-exit", raw.get("stop-pods-on-exit"), errors);
  const sessionDoorbell = parseBoolean("session-doorbell", raw.get("session-doorbell"), errors);

  const sizeText = raw.get("container-log-max-size") ?? "10Mi";
  const size = parseQuantity(sizeText);
  const containerLogMaxBytes = size ? Number(value(size)) : NaN;
  if (!(containerLogMaxBytes >= 1024 && containerLogMaxBytes <= 2 ** 40)) errors.push(`--container-log-max-size: ${JSON.stringify(sizeText)} must be a size between 1Ki and 1Ti, e.g. 10Mi`);
  const filesText = raw.get("container-log-max-files") ?? "5";
  const containerLogMaxFiles = Number(filesText);
  if (!/^\d+$/.test(filesText) || containerLogMaxFiles < 2 || containerLogMaxFiles > 100) errors.push(`--container-log-max-files: ${JSON.stringify(filesText)} must be a whole number from 2 to 100 (the kubelet's minimum is 2)`);

  const windowText = raw.get("maintenance-window");
  let maintenanceWindow: MaintenanceWindow | undefined;
  try {
    if (windowText) maintenanceWindow = parseMaintenanceWindow(windowText);
  } catch (error) {
    errors.push(`--maintenance-window: ${(error as Error).message}`);
  }

  if (errors.length > 0) return { kind: "error", message: errors.join("\n") };
  const config: AgentConfig = {
    server,
    nodeName,
    labels,
    stateDir,
    syncIntervalSeconds,
    runtime,
    stopPodsOnExit,
  };
  if (containerLogMaxBytes !== kubeletLogRotation.maxBytes) config.containerLogMaxBytes = containerLogMaxBytes;
  if (containerLogMaxFiles !== kubeletLogRotation.maxFiles) config.containerLogMaxFiles = containerLogMaxFiles;
  if (runtimes) config.runtimes = runtimes;
  if (maintenanceWindow) config.maintenanceWindow = maintenanceWindow;
  if (sessionDoorbell) config.sessionDoorbell = true;
  const manifestDir = raw.get("pod-manifest-dir");
  if (manifestDir) config.podManifestDir = manifestDir;
  const token = raw.get("bootstrap-token");
  if (token) config.bootstrapToken = token;
  const caFile = raw.get("ca-file");
  if (caFile) config.caFile = caFile;
  return { kind: "config", config };
}
