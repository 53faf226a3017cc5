/**
 * @module
 * The kubelet's `GenerateRunContainerOptions` for a process: the container's environment
 * (`makeContainerEnvironment`) over the agent's base environment, the expanded argv, and the
 * container's root with its volume mounts laid out (`EDGESET_POD_ROOT`), `subPath` mounts as
 * snapshots. Anything missing is a `CreateContainerConfigError` with the kubelet's message.
 *
 * @example
 * prepareProcessStart({ pod, spec, helper, podKey, volumePaths, root, baseEnv })
 * // { argv: ["fluent-bit", "-c", "…"], env: { …, EDGESET_POD_ROOT: "/var/lib/edgeset/pods/…/root/main" }, cwd: undefined }
 */
import type { Container, Pod } from "../../../src/resources/types.ts";
import { expandCommand, makeContainerEnvironment } from "../../pods/container-env.ts";
import type { RuntimeHelper } from "../runtime.ts";
import { firstChanged, type PinnedPath, pinResolved } from "../../volumes/pinned-path.ts";
import { layOutContainerRoot, type RootMount } from "./container-root.ts";
import type { PreparedStart, Waiting } from "./process-container.ts";

export interface ProcessStartInput {
  pod: Pod;
  spec: Container;
  helper: RuntimeHelper;
  /** `<namespace>_<name>_<uid>`: where the pod's volumes and subPath snapshots live. */
  podKey: string;
  volumePaths: Map<string, string> | undefined;
  /** The container's EDGESET_POD_ROOT. */
  root: string;
  baseEnv: Record<string, string | undefined>;
}

export function prepareProcessStart(input: ProcessStartInput): PreparedStart | Waiting {
  const { pod, spec, helper } = input;
  const configError = (message: string): Waiting => ({ reason: "CreateContainerConfigError", message });
  const resolved = makeContainerEnvironment(pod, spec, helper.config, helper.podFacts());
  if ("error" in resolved) return configError(resolved.error);
  const argv = expandCommand(spec, resolved.env);
  if (!argv) return configError("the process runtime needs container.command (it does not run images)");
  const mounts: RootMount[] = [];
  const pins: PinnedPath[] = [];
  const pinned = (mountName: string, source: string): string | undefined => {
    const pin = pinResolved(source);
    if ("error" in pin) return `volumeMount ${mountName}: ${pin.error}`;
    pins.push(pin);
    return undefined;
  };
  for (const [index, mount] of (spec.volumeMounts ?? []).entries()) {
    const volume = pod.spec.volumes?.find((v) => v.name === mount.name);
    const path = input.volumePaths?.get(mount.name);
    if (!volume || !path) return configError(`volumeMount ${mount.name}: no such volume`);
    if (!mount.subPath) {
      const problem = pinned(mount.name, path);
      if (problem) return configError(problem);
      mounts.push({ mountPath: mount.mountPath, source: path });
      continue;
    }
    const snapshot = helper.volumes.snapshotSubPath(input.podKey, volume, path, mount.subPath, spec.name, index);
    if ("error" in snapshot) return configError(`failed to prepare subPath for volumeMount "${mount.name}" of container "${spec.name}": ${snapshot.error}`);
    const problem = pinned(mount.name, snapshot.path);
    if (problem) return configError(problem);
    mounts.push({ mountPath: mount.mountPath, source: snapshot.path });
  }
  const problem = layOutContainerRoot(input.root, mounts);
  if (problem) return configError(problem);
  // The spawn follows at once; what the links of the root point to is checked once more.
  const changed = firstChanged(pins);
  if (changed) return configError(changed);
  return { argv, env: { ...input.baseEnv, ...resolved.env, EDGESET_POD_ROOT: input.root }, cwd: spec.workingDir };
}
