/**
 * @module
 * The `paths` of one group-version's OpenAPI document: for each served resource its
 * collection, item and `status` paths with get/put/post/delete/patch operations. Each
 * operation carries `x-kubernetes-group-version-kind` as a single object, as kubectl expects.
 * PATCH operations have no `requestBody`: with one, client-side apply would compute its
 * 3-way patch from these schemas instead of kubectl's built-in types (kubectl-wire §1.4).
 *
 * @example
 * resourcePaths(resources.DaemonSet, "v1", "io.k8s.api.apps.v1.DaemonSet")["/apis/apps/v1/namespaces/{namespace}/daemonsets/{name}"].patch
 */
import type { ResourceInfo } from "../registry.ts";
import { ref } from "../schema/index.ts";
import { deleteParameters, listParameters, pathParameter, patchParameters, pretty, writeParameters, type Parameter } from "./parameters.ts";

export type Operation = Record<string, unknown>;
export type PathItem = { parameters?: Parameter[] } & Partial<Record<"get" | "put" | "post" | "delete" | "patch", Operation>>;

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** `AppsV1`, `CoreV1`, `ExtensionsV1beta1`: the operationId infix Kubernetes uses. */
const groupInfix = (group: string, version: string): string => `${capitalize(group || "core")}${capitalize(version)}`;

function jsonResponse(schemaName: string, codes: string[] = ["200"]): Record<string, unknown> {
  const content = { "application/json": { schema: ref(schemaName) }, "application/yaml": { schema: ref(schemaName) } };
  const out: Record<string, unknown> = {};
  for (const code of codes) out[code] = { description: code === "201" ? "Created" : code === "202" ? "Accepted" : "OK", content };
  out["401"] = { description: "Unauthorized" };
  return out;
}

/** Every path and operation of one resource in one served version. */
export function resourcePaths(info: ResourceInfo, version: string, schemaName: string): Record<string, PathItem> {
  const gvk = { group: info.group, kind: info.kind, version };
  const base = info.group ? `/apis/${info.group}/${version}` : `/api/${version}`;
  const scope = info.namespaced ? "Namespaced" : "";
  const infix = groupInfix(info.group, version);
  const collection = info.namespaced ? `${base}/namespaces/{namespace}/${info.plural}` : `${base}/${info.plural}`;
  const item = `${collection}/{name}`;
  const scopeParams = info.namespaced ? [pathParameter("namespace")] : [];
  const listName = `${schemaName}List`;
  const op = (action: string, id: string, description: string, extra: Operation): Operation => ({
    description,
    operationId: id,
    tags: [`${info.group || "core"}_${version}`],
    "x-kubernetes-action": action,
    "x-kubernetes-group-version-kind": gvk,
    ...extra,
  });
  const body = { required: true, content: { "*/*": { schema: ref(schemaName) } } };
  const paths: Record<string, PathItem> = {};

  paths[collection] = {
    parameters: [...scopeParams, pretty],
    get: op("list", `list${infix}${scope}${info.kind}`, `list or watch objects of kind ${info.kind}`, {
      parameters: listParameters,
      responses: jsonResponse(listName),
    }),
    post: op("post", `create${infix}${scope}${info.kind}`, `create a ${info.kind}`, {
      parameters: writeParameters,
      requestBody: body,
      responses: jsonResponse(schemaName, ["200", "201", "202"]),
    }),
    delete: op("deletecollection", `deletecollection${infix}${scope}${info.kind}`, `delete collection of ${info.kind}`, {
      parameters: [...deleteParameters, ...listParameters],
      responses: jsonResponse(listName),
    }),
  };
  if (!info.verbs.includes("deletecollection")) delete paths[collection].delete;

  const itemOps = (suffix: string, what: string): PathItem => ({
    parameters: [pathParameter("name"), ...scopeParams, pretty],
    get: op("get", `read${infix}${scope}${info.kind}${suffix}`, `read ${what} of the specified ${info.kind}`, {
      responses: jsonResponse(schemaName),
    }),
    put: op("put", `replace${infix}${scope}${info.kind}${suffix}`, `replace ${what} of the specified ${info.kind}`, {
      parameters: writeParameters,
      requestBody: body,
      responses: jsonResponse(schemaName, ["200", "201"]),
    }),
    patch: op("patch", `patch${infix}${scope}${info.kind}${suffix}`, `partially update ${what} of the specified ${info.kind}`, {
      parameters: patchParameters,
      responses: jsonResponse(schemaName, ["200", "201"]),
    }),
  });
  paths[item] = itemOps("", "the");
  paths[item].delete = op("delete", `delete${infix}${scope}${info.kind}`, `delete a ${info.kind}`, {
    parameters: deleteParameters,
    responses: jsonResponse(schemaName, ["200", "202"]),
  });
  if (info.subresources?.includes("status")) paths[`${item}/status`] = itemOps("Status", "status");

  if (info.namespaced) {
    paths[`${base}/${info.plural}`] = {
      parameters: [pretty],
      get: op("list", `list${infix}${info.kind}ForAllNamespaces`, `list or watch objects of kind ${info.kind}`, {
        parameters: listParameters,
        responses: jsonResponse(listName),
      }),
    };
  }
  return paths;
}
