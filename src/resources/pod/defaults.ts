/**
 * @module
 * Pod defaulting (pkg/apis/core/v1/defaults.go): SetDefaults_PodSpec, _Container,
 * _ContainerPort, _Probe, _HTTPGetAction, _ObjectFieldSelector and the volume sources, applied
 * to a copy. The Pod-only defaults (SetDefaults_Pod) are in `defaultPod`.
 *
 * @example
 * defaultPodSpec({ containers: [{ name: "c", image: "nginx" }] }).containers[0].imagePullPolicy // "Always"
 */
import type { Container, Pod, PodSpec, Probe, Volume } from "../types.ts";
import { defaultTerminationGracePeriodSeconds } from "../../protocol/pod-defaults.ts";

/** 0644, the mode configMap, secret, projected and downwardAPI volumes get by default. */
export const defaultVolumeMode = 420;

/** The tag of an image reference, "latest" when it has neither tag nor digest (parsers.ParseImageName). */
export function imageTag(image: string): string {
  const at = image.indexOf("@");
  const name = at < 0 ? image : image.slice(0, at);
  const lastSlash = name.lastIndexOf("/");
  const colon = name.indexOf(":", lastSlash + 1);
  if (colon >= 0) return name.slice(colon + 1);
  return at < 0 ? "latest" : "";
}

const clone = <T>(v: T): T => structuredClone(v);

function defaultHandler<T extends { httpGet?: Probe["httpGet"] }>(h: T): void {
  if (h.httpGet) {
    if (!h.httpGet.path) h.httpGet.path = "/";
    if (!h.httpGet.scheme) h.httpGet.scheme = "HTTP";
  }
}

function defaultProbe(p: Probe | undefined): void {
  if (!p) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  defaultHandler(p);
}

type FieldRefHolder = { fieldRef?: { apiVersion?: string; fieldPath: string } };
const defaultFieldRef = (h: FieldRefHolder | undefined): void => {
  if (h?.fieldRef && !h.fieldRef.apiVersion) h.fieldRef.apiVersion = "v1";
};

function defaultContainer(c: Container): void {
  if (!c.imagePullPolicy) c.imagePullPolicy = imageTag(c.image ?? "") === "latest" ? "Always" : "IfNotPresent";
  if (!c.terminationMessagePath) c.terminationMessagePath = "/dev/termination-log";
  if (!c.terminationMessagePolicy) c.terminationMessagePolicy = "File";
  for (const port of c.ports ?? []) if (!port.protocol) port.protocol = "TCP";
  for (const env of c.env ?? []) defaultFieldRef(env.valueFrom);
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  const lifecycle = (c as { lifecycle?: { postStart?: Probe; preStop?: Probe } }).lifecycle;
  if (lifecycle?.postStart) defaultHandler(lifecycle.postStart);
  if (lifecycle?.preStop) defaultHandler(lifecycle.preStop);
}

type DownwardItems = { items?: FieldRefHolder[]; defaultMode?: number };

function defaultVolume(v: Volume): void {
  if (v.hostPath) v.hostPath.type ??= "";
  if (v.configMap) v.configMap.defaultMode ??= defaultVolumeMode;
  if (v.secret) v.secret.defaultMode ??= defaultVolumeMode;
  if (v.projected) {
    v.projected.defaultMode ??= defaultVolumeMode;
    for (const source of v.projected.sources ?? []) for (const item of (source.downwardAPI as DownwardItems | undefined)?.items ?? []) defaultFieldRef(item);
  }
  const downward = (v as { downwardAPI?: DownwardItems }).downwardAPI;
  if (downward) {
    downward.defaultMode ??= defaultVolumeMode;
    for (const item of downward.items ?? []) defaultFieldRef(item);
  }
}

/** SetDefaults_PodSpec and the defaults of everything inside it; returns a defaulted copy. */
export function defaultPodSpec(spec: PodSpec): PodSpec {
  const s = clone(spec);
  if (!s.dnsPolicy) s.dnsPolicy = "ClusterFirst";
  if (!s.restartPolicy) s.restartPolicy = "Always";
  s.securityContext ??= {};
  s.terminationGracePeriodSeconds ??= defaultTerminationGracePeriodSeconds;
  if (!s.schedulerName) s.schedulerName = "default-scheduler";
  for (const c of s.containers ?? []) defaultContainer(c);
  for (const c of s.initContainers ?? []) defaultContainer(c);
  for (const v of s.volumes ?? []) defaultVolume(v);
  return s;
}

/** SetDefaults_Pod on top of the PodSpec defaults: requests from limits, service links, host-network ports. */
export function defaultPod(pod: Pod): Pod {
  const p = clone(pod);
  p.spec = defaultPodSpec(p.spec ?? ({ containers: [] } as PodSpec));
  const spec = p.spec as PodSpec & { enableServiceLinks?: boolean };
  spec.enableServiceLinks ??= true;
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    if (c.resources?.limits) {
      c.resources.requests ??= {};
      for (const [name, q] of Object.entries(c.resources.limits)) if (!(name in c.resources.requests)) c.resources.requests[name] = q;
    }
    if (spec.hostNetwork) for (const port of c.ports ?? []) if (!port.hostPort) port.hostPort = port.containerPort;
  }
  return p;
}
