/**
 * @module
 * Volume validation (validation.go: ValidateVolumes, validateVolumeSource, validateHostPathVolumeSource,
 * validateKeyToPath, the config/secret/projected/downward sources) for the volume types edgeset runs.
 *
 * @example
 * validateVolumes([{ name: "v" }], "spec.volumes").errs // [spec.volumes[0]: Required value: must specify a volume type]
 */
import { child, duplicate, forbidden, invalid, notSupported, required, type FieldError } from "../field-errors.ts";
import { isDNS1123Label, isDNS1123Subdomain } from "../../protocol/names.ts";
import type { KeyToPath, Volume } from "../types.ts";

const volumeTypes = ["hostPath", "emptyDir", "configMap", "secret", "projected", "downwardAPI"] as const;
const hostPathTypes = ["", "DirectoryOrCreate", "Directory", "FileOrCreate", "File", "Socket", "CharDevice", "BlockDevice"];

function validateMode(mode: unknown, path: string): FieldError[] {
  if (mode === undefined || mode === null) return [];
  return typeof mode === "number" && mode >= 0 && mode <= 0o777
    ? []
    : [invalid(path, mode, "must be a number between 0 and 0777 (octal), both inclusive")];
}

function validateLocalPath(p: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (p.startsWith("/")) errs.push(invalid(path, p, "must be a relative path"));
  if (p.split("/").includes("..")) errs.push(invalid(path, p, "must not contain '..'"));
  else if (p.startsWith("..")) errs.push(invalid(path, p, "must not start with '..'"));
  return errs;
}

function validateItems(items: KeyToPath[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (items ?? []).forEach((item, i) => {
    const p = child(path, i);
    if (!item.key) errs.push(required(child(p, "key"), ""));
    if (!item.path) errs.push(required(child(p, "path"), ""));
    else errs.push(...validateLocalPath(item.path, child(p, "path")));
    errs.push(...validateMode(item.mode, child(p, "mode")));
  });
  return errs;
}

function validateDownwardItems(items: { path?: string; fieldRef?: { fieldPath?: string }; resourceFieldRef?: unknown; mode?: number }[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (items ?? []).forEach((item, i) => {
    const p = child(path, i);
    if (!item.path) errs.push(required(child(p, "path"), ""));
    else errs.push(...validateLocalPath(item.path, child(p, "path")));
    errs.push(...validateMode(item.mode, child(p, "mode")));
    if (item.fieldRef && item.resourceFieldRef) errs.push(invalid(p, "resource", "fieldRef and resourceFieldRef can not be specified simultaneously"));
    else if (!item.fieldRef && !item.resourceFieldRef) errs.push(required(p, "one of fieldRef and resourceFieldRef is required"));
    if (item.fieldRef && !item.fieldRef.fieldPath) errs.push(required(child(child(p, "fieldRef"), "fieldPath"), ""));
  });
  return errs;
}

function validateSource(v: Volume, kind: (typeof volumeTypes)[number], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const p = child(path, kind);
  switch (kind) {
    case "hostPath":
      if (!v.hostPath?.path) errs.push(required(child(p, "path"), ""));
      else if (v.hostPath.path.split("/").includes("..")) errs.push(invalid(child(p, "path"), v.hostPath.path, "must not contain '..'"));
      if (v.hostPath?.type !== undefined && !hostPathTypes.includes(v.hostPath.type)) errs.push(notSupported(child(p, "type"), v.hostPath.type, hostPathTypes));
      break;
    case "emptyDir":
      if (v.emptyDir?.medium && !["Memory", "HugePages"].includes(v.emptyDir.medium) && !v.emptyDir.medium.startsWith("HugePages-"))
        errs.push(notSupported(child(p, "medium"), v.emptyDir.medium, ["", "Memory", "HugePages"]));
      break;
    case "configMap":
      if (!v.configMap?.name) errs.push(required(child(p, "name"), ""));
      else for (const m of isDNS1123Subdomain(v.configMap.name)) errs.push(invalid(child(p, "name"), v.configMap.name, m));
      errs.push(...validateMode(v.configMap?.defaultMode, child(p, "defaultMode")), ...validateItems(v.configMap?.items, child(p, "items")));
      break;
    case "secret":
      if (!v.secret?.secretName) errs.push(required(child(p, "secretName"), ""));
      else for (const m of isDNS1123Subdomain(v.secret.secretName)) errs.push(invalid(child(p, "secretName"), v.secret.secretName, m));
      errs.push(...validateMode(v.secret?.defaultMode, child(p, "defaultMode")), ...validateItems(v.secret?.items, child(p, "items")));
      break;
    case "projected":
      errs.push(...validateMode(v.projected?.defaultMode, child(p, "defaultMode")));
      (v.projected?.sources ?? []).forEach((source, i) => {
        const sp = child(child(p, "sources"), i);
        const set = Object.keys(source).filter((k) => (source as Record<string, unknown>)[k] != null);
        if (set.length === 0) errs.push(required(sp, "must specify exactly 1 of: configMap, secret, downwardAPI, serviceAccountToken, clusterTrustBundle, podCertificate"));
        for (const extra of set.slice(1)) errs.push(forbidden(child(sp, extra), "may not specify more than 1 volume type per source"));
        if (source.configMap) errs.push(...validateItems(source.configMap.items, child(child(sp, "configMap"), "items")));
        if (source.secret) errs.push(...validateItems(source.secret.items, child(child(sp, "secret"), "items")));
        const downward = source.downwardAPI as { items?: [] } | undefined;
        if (downward) errs.push(...validateDownwardItems(downward.items, child(child(sp, "downwardAPI"), "items")));
      });
      break;
    case "downwardAPI": {
      const d = (v as { downwardAPI?: { defaultMode?: number; items?: [] } }).downwardAPI;
      errs.push(...validateMode(d?.defaultMode, child(p, "defaultMode")), ...validateDownwardItems(d?.items, child(p, "items")));
      break;
    }
  }
  return errs;
}

/** ValidateVolumes: the set of volume names for the mounts, and the errors. */
export function validateVolumes(volumes: Volume[] | undefined, path: string): { names: Set<string>; errs: FieldError[] } {
  const names = new Set<string>();
  const errs: FieldError[] = [];
  (volumes ?? []).forEach((v, i) => {
    const p = child(path, i);
    if (!v.name) errs.push(required(child(p, "name"), ""));
    else {
      for (const m of isDNS1123Label(v.name)) errs.push(invalid(child(p, "name"), v.name, m));
      if (names.has(v.name)) errs.push(duplicate(child(p, "name"), v.name));
      names.add(v.name);
    }
    const kinds = volumeTypes.filter((k) => (v as unknown as Record<string, unknown>)[k] != null);
    if (kinds.length === 0) errs.push(required(p, "must specify a volume type"));
    for (const extra of kinds.slice(1)) errs.push(forbidden(child(p, extra), "may not specify more than 1 volume type"));
    for (const kind of kinds.slice(0, 1)) errs.push(...validateSource(v, kind, p));
  });
  return { names, errs };
}
