import { describe, expect, it } from "vitest";
import { resources, type ResourceInfo } from "../registry.ts";
import type { JsonSchema } from "../schema/index.ts";
import { openApiDocument, openApiRoot } from "./index.ts";

const groupVersions = Object.keys(openApiRoot().paths);

describe("openApiRoot", () => {
  it("lists every served group-version with a hashed serverRelativeURL", () => {
    const root = openApiRoot();
    for (const gv of ["api/v1", "apis/apps/v1", "apis/apps/v1beta2", "apis/extensions/v1beta1"]) {
      expect(root.paths[gv].serverRelativeURL).toMatch(new RegExp(`^/openapi/v3/${gv}\\?hash=[0-9A-F]{16}$`));
    }
  });

  it("is stable between calls", () => {
    expect(openApiRoot()).toEqual(openApiRoot());
  });
});

const served = (Object.values(resources) as ResourceInfo[]).flatMap((info) =>
  info.versions.map((version) => ({ info, version, gv: info.group ? `apis/${info.group}/${version}` : `api/${version}` })),
);

describe("PATCH operations", () => {
  it.each(served.map((s) => [`${s.gv} ${s.info.kind}`, s] as const))("%s: fieldValidation, single-object GVK, no requestBody", (_name, { info, version, gv }) => {
    const doc = openApiDocument(gv)!;
    const base = info.group ? `/apis/${info.group}/${version}` : `/api/${version}`;
    const item = info.namespaced ? `${base}/namespaces/{namespace}/${info.plural}/{name}` : `${base}/${info.plural}/{name}`;
    const patch = doc.paths[item].patch as Record<string, unknown>;
    expect(patch["x-kubernetes-group-version-kind"]).toEqual({ group: info.group, version, kind: info.kind });
    const names = (patch.parameters as { name: string }[]).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(["fieldValidation", "fieldManager", "dryRun", "force"]));
    expect(patch).not.toHaveProperty("requestBody");
    for (const verb of ["get", "put", "delete"]) expect(doc.paths[item]).toHaveProperty(verb);
  });
});

describe("documents", () => {
  it("are OpenAPI 3.0.0 and carry every kind schema with an array GVK", () => {
    for (const { info, version, gv } of served) {
      const doc = openApiDocument(gv)!;
      expect(doc.openapi).toBe("3.0.0");
      const kinds = Object.values(doc.components.schemas).flatMap((s) => s["x-kubernetes-group-version-kind"] ?? []);
      expect(kinds).toContainEqual({ group: info.group, version, kind: info.kind });
    }
  });

  it("are undefined for a group-version that is not served", () => {
    expect(openApiDocument("apis/batch/v1")).toBeUndefined();
  });

  it.each(groupVersions)("%s: every $ref resolves inside the document", (gv) => {
    const doc = openApiDocument(gv)!;
    const missing: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === "object") {
        for (const [k, v] of Object.entries(node)) {
          if (k === "$ref" && typeof v === "string") {
            const name = v.replace("#/components/schemas/", "");
            if (!v.startsWith("#/components/schemas/") || !doc.components.schemas[name]) missing.push(v);
          } else walk(v);
        }
      }
    };
    walk(doc);
    expect(missing).toEqual([]);
  });
});

describe("kubectl explain descriptions", () => {
  const schemas = openApiDocument("apis/apps/v1")!.components.schemas;
  const prop = (schema: string, name: string): JsonSchema => schemas[schema].properties![name];
  it.each([
    [schemas["io.k8s.api.apps.v1.DaemonSet"].description, "DaemonSet represents the configuration of a daemon set."],
    [schemas["io.k8s.api.apps.v1.DaemonSetSpec"].description, "DaemonSetSpec is the specification of a daemon set."],
    [prop("io.k8s.api.apps.v1.DaemonSetSpec", "updateStrategy").description, "An update strategy to replace existing DaemonSet pods with new pods."],
    [schemas["io.k8s.api.apps.v1.DaemonSetUpdateStrategy"].description, "DaemonSetUpdateStrategy is a struct used to control the update strategy for a DaemonSet."],
    [
      prop("io.k8s.api.apps.v1.DaemonSetUpdateStrategy", "type").description,
      'Type of daemon set update. Can be "RollingUpdate" or "OnDelete". Default is RollingUpdate.\n\nPossible enum values:\n - `"OnDelete"` Replace the old daemons only when it\'s killed\n - `"RollingUpdate"` Replace the old daemons by new ones using rolling update i.e replace them on each node one after the other.',
    ],
    [schemas["io.k8s.api.apps.v1.RollingUpdateDaemonSet"].description, "Spec to control the desired behavior of daemon set rolling update."],
  ])("%s", (got, want) => {
    expect(got).toBe(want);
  });

  it("lists the update strategy types as an enum (explain prints `enum: OnDelete, RollingUpdate`)", () => {
    expect(prop("io.k8s.api.apps.v1.DaemonSetUpdateStrategy", "type").enum).toEqual(["OnDelete", "RollingUpdate"]);
  });

  it("describes maxSurge and maxUnavailable", () => {
    expect(prop("io.k8s.api.apps.v1.RollingUpdateDaemonSet", "maxSurge").description).toMatch(/^The maximum number of nodes with an existing available DaemonSet pod/);
    expect(prop("io.k8s.api.apps.v1.RollingUpdateDaemonSet", "maxUnavailable").description).toMatch(/^The maximum number of DaemonSet pods that can be unavailable/);
  });

  it("documents the extensions/v1beta1 OnDelete default", () => {
    const ext = openApiDocument("apis/extensions/v1beta1")!.components.schemas;
    expect(ext["io.k8s.api.extensions.v1beta1.DaemonSetUpdateStrategy"].properties!.type.description).toMatch(/Default is OnDelete\.$/);
  });
});
