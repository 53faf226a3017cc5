/**
 * @module
 * A container's volume mounts for an engine: each volume's host directory bound at `mountPath`,
 * read-only when asked and always for ConfigMap, Secret and projected volumes (as the kubelet
 * mounts API data). A `subPath` binds the file or directory it names as it is now (resolved
 * through the volume's `..data` link), so like a kubelet subPath mount it does not follow later
 * updates. Every host path is handed over resolved and pinned (`pinned-path.ts`): the start
 * checks the pins again right before the engine runs, and refuses when one changed.
 *
 * @example
 * bindMounts(pod, container, new Map([["config", "/var/lib/edgeset/volumes/default_web_u1/config"]]))
 * // { mounts: [{ hostPath: "/var/lib/edgeset/volumes/default_web_u1/config", containerPath: "/etc/app", readOnly: true }], pins: [{ path: "…/config", … }] }
 */
import { resolveInside } from "../../volumes/contained-path.ts";
import { type PinnedPath, pinResolved } from "../../volumes/pinned-path.ts";
import type { Container, Pod } from "../../../src/resources/types.ts";
import type { Mount } from "./run-args.ts";

export function bindMounts(pod: Pod, spec: Container, volumePaths: Map<string, string> | undefined): { mounts: Mount[]; pins: PinnedPath[] } | { error: string } {
  const mounts: Mount[] = [];
  const pins: PinnedPath[] = [];
  for (const mount of spec.volumeMounts ?? []) {
    const volume = pod.spec.volumes?.find((v) => v.name === mount.name);
    const path = volumePaths?.get(mount.name);
    if (!volume || !path) return { error: `volumeMount ${mount.name}: no such volume` };
    let hostPath = path;
    if (mount.subPath) {
      // Resolved now and refused when a link (one the container made in an emptyDir, say) leads
      // out of the volume: the kubelet's doBindSubPath check.
      const resolved = resolveInside(path, mount.subPath);
      if ("error" in resolved) return { error: `failed to prepare subPath for volumeMount "${mount.name}" of container "${spec.name}": ${resolved.error}` };
      hostPath = resolved.path;
    }
    // `--volume host:container[:ro]`: a colon in either path would be read as an option (`:rw`).
    if (mount.mountPath.includes(":") || hostPath.includes(":")) return { error: `volumeMount ${mount.name}: a path with ':' cannot be bind-mounted` };
    const pin = pinResolved(hostPath);
    if ("error" in pin) return { error: `volumeMount ${mount.name}: ${pin.error}` };
    pins.push(pin);
    const apiData = Boolean(volume.configMap || volume.secret || volume.projected);
    mounts.push({ hostPath, containerPath: mount.mountPath, readOnly: Boolean(mount.readOnly) || apiData });
  }
  return { mounts, pins };
}
