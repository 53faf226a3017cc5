/**
 * @module
 * The `docker run` / `podman run` command line for one container of a pod, as the kubelet's
 * `generateContainerConfig` would configure it through CRI: the entrypoint and arguments
 * (`command` replaces the image's ENTRYPOINT, `args` its CMD, both `$(VAR)`-expanded), the
 * environment, `workingDir`, bind mounts at `mountPath` (ConfigMap and Secret volumes read-only),
 * host ports, host network and PID namespaces, privileged mode, user, read-only root, CPU and
 * memory limits, and the labels that let a restarted agent find its containers again
 * (`io.kubernetes.*` as the kubelet's dockershim set them, plus the agent's own id). Pure.
 *
 * @example
 * buildRunArgs({ pod, container, attempt: 0, agentId: "3f2a", env: { A: "1" }, mounts: [], envFile: "/run/x/env" })
 * // ["run", "--detach", "--name", "k8s_main_web_default_u1_0", "--label", "io.edgeset.agent=3f2a", …, "nginx:1.27"]
 */
import { createHash } from "node:crypto";
import type { Container, Pod } from "../../../src/resources/types.ts";
import { expandArgs } from "../../pods/container-env.ts";
import { milliValue, parseQuantity, value } from "../../../src/protocol/quantity.ts";
import { stringifyCanonical } from "../../sync/canonical-json.ts";
import { defaultTerminationGracePeriodSeconds } from "../../../src/protocol/pod-defaults.ts";

export const labels = {
  agent: "io.edgeset.agent",
  podUid: "io.kubernetes.pod.uid",
  podName: "io.kubernetes.pod.name",
  podNamespace: "io.kubernetes.pod.namespace",
  containerName: "io.kubernetes.container.name",
  restartCount: "io.kubernetes.container.restartCount",
  containerHash: "io.kubernetes.container.hash",
  gracePeriod: "io.kubernetes.pod.terminationGracePeriod",
} as const;

export interface Mount {
  hostPath: string;
  containerPath: string;
  readOnly: boolean;
}

export interface RunInput {
  pod: Pod;
  container: Container;
  /** 0 for the first instance, then one more per restart (the restartCount). */
  attempt: number;
  agentId: string;
  /** The resolved environment (makeContainerEnvironment). */
  env: Record<string, string>;
  mounts: Mount[];
  /** A file holding the variables that fit on one line (`--env-file`); the others go with `-e`. */
  envFile?: string;
}

/** dockershim's container name: `k8s_<container>_<pod>_<namespace>_<uid>_<attempt>`. */
export function containerName(pod: Pod, container: string, attempt: number): string {
  const part = (s: string | undefined) => (s ?? "").replace(/[^a-zA-Z0-9_.-]/g, "-");
  return `k8s_${part(container)}_${part(pod.metadata.name)}_${part(pod.metadata.namespace || "default")}_${part(pod.metadata.uid)}_${attempt}`;
}

/** What decides whether a running container still matches its spec (kubelet `HashContainer`). */
export function hashContainer(container: Container): string {
  return createHash("sha256").update(stringifyCanonical(container)).digest("hex").slice(0, 16);
}

/** Variables the CLI itself reads: never passed to it through its own environment. */
const cliVariables = /^(PATH|HOME|TMPDIR|XDG_.*|DOCKER_.*|CONTAINERS?_.*|REGISTRY_AUTH_FILE|BUILDAH_.*|PODMAN_.*)$/;

export interface SplitEnv {
  /** `--env-file` content: docker reads each `NAME=value` up to the newline. */
  file: string;
  /** Multi-line values, handed to the CLI in its environment and named with `--env NAME`. */
  fromCliEnv: Record<string, string>;
  /** What neither can carry (a multi-line value of a variable the CLI reads itself): `--env NAME=value`. */
  onArgv: string[];
}

/** Keeps values off the command line (visible to every local user through ps) wherever it can. */
export function splitEnv(env: Record<string, string>): SplitEnv {
  const lines: string[] = [];
  const fromCliEnv: Record<string, string> = {};
  const onArgv: string[] = [];
  for (const name of Object.keys(env).sort()) {
    const value = env[name];
    const oneLine = !/[\r\n]/.test(value) && !/[\r\n=]/.test(name) && name.trim() === name && !name.startsWith("#") && name !== "";
    if (oneLine) lines.push(`${name}=${value}`);
    else if (!cliVariables.test(name) && !name.includes("=") && name !== "") fromCliEnv[name] = value;
    else onArgv.push(`${name}=${value}`);
  }
  return { file: lines.length > 0 ? `${lines.join("\n")}\n` : "", fromCliEnv, onArgv };
}

/** kubelet `MilliCPUToShares`: 1024 shares per CPU, at least 2. */
export function milliCpuToShares(milli: bigint): number {
  return Math.max(2, Number((milli * 1024n) / 1000n));
}

function resourceFlags(container: Container): string[] {
  const flags: string[] = [];
  const cpuLimit = parseQuantity(container.resources?.limits?.cpu);
  if (cpuLimit && milliValue(cpuLimit) > 0n) flags.push("--cpus", (Number(milliValue(cpuLimit)) / 1000).toString());
  const memoryLimit = parseQuantity(container.resources?.limits?.memory);
  if (memoryLimit && value(memoryLimit) > 0n) flags.push("--memory", value(memoryLimit).toString());
  const cpuRequest = parseQuantity(container.resources?.requests?.cpu) ?? cpuLimit;
  if (cpuRequest && milliValue(cpuRequest) > 0n) flags.push("--cpu-shares", String(milliCpuToShares(milliValue(cpuRequest))));
  return flags;
}

function securityFlags(pod: Pod, container: Container): string[] {
  const flags: string[] = [];
  const context = container.securityContext;
  const podContext = (pod.spec.securityContext ?? {}) as { runAsUser?: number; runAsGroup?: number };
  if (context?.privileged) flags.push("--privileged");
  const user = context?.runAsUser ?? podContext.runAsUser;
  const group = context?.runAsGroup ?? podContext.runAsGroup;
  if (user !== undefined) flags.push("--user", group !== undefined ? `${user}:${group}` : String(user));
  if (context?.readOnlyRootFilesystem) flags.push("--read-only");
  return flags;
}

function portFlags(pod: Pod, container: Container): string[] {
  if (pod.spec.hostNetwork) return [];
  const flags: string[] = [];
  for (const port of container.ports ?? []) {
    if (!port.hostPort) continue;
    const protocol = (port.protocol ?? "TCP").toLowerCase();
    const host = port.hostIP ? `${port.hostIP}:` : "";
    flags.push("--publish", `${host}${port.hostPort}:${port.containerPort}${protocol === "tcp" ? "" : `/${protocol}`}`);
  }
  return flags;
}

export function buildRunArgs(input: RunInput): string[] {
  const { pod, container, attempt, agentId, env, mounts } = input;
  const args = ["run", "--detach", "--name", containerName(pod, container.name, attempt), "--restart", "no"];
  const podLabels: Record<string, string> = {
    [labels.agent]: agentId,
    [labels.podUid]: pod.metadata.uid ?? "",
    [labels.podName]: pod.metadata.name ?? "",
    [labels.podNamespace]: pod.metadata.namespace || "default",
    [labels.containerName]: container.name,
    [labels.restartCount]: String(attempt),
    [labels.containerHash]: hashContainer(container),
    [labels.gracePeriod]: String(pod.spec.terminationGracePeriodSeconds ?? defaultTerminationGracePeriodSeconds),
  };
  for (const [key, val] of Object.entries(podLabels)) args.push("--label", `${key}=${val}`);
  if (pod.spec.hostNetwork) args.push("--network", "host");
  if (pod.spec.hostPID) args.push("--pid", "host");
  args.push(...securityFlags(pod, container), ...resourceFlags(container), ...portFlags(pod, container));
  if (container.workingDir) args.push("--workdir", container.workingDir);
  const { file, fromCliEnv, onArgv } = splitEnv(env);
  if (input.envFile && file) args.push("--env-file", input.envFile);
  else for (const line of file.split("\n").filter(Boolean)) args.push("--env", line);
  for (const name of Object.keys(fromCliEnv)) args.push("--env", name);
  for (const line of onArgv) args.push("--env", line);
  for (const mount of mounts) args.push("--volume", `${mount.hostPath}:${mount.containerPath}${mount.readOnly ? ":ro" : ""}`);
  const command = expandArgs(container.command, env);
  const rest = expandArgs(container.args, env);
  if (command.length > 0) args.push("--entrypoint", command[0]);
  // `--`: the image (and the command after it) is never read as a flag.
  args.push("--", container.image ?? "");
  args.push(...command.slice(1), ...rest);
  return args;
}
