/**
 * @module
 * The OpenAPI v3 documents kubectl reads for `--validate=strict` and `kubectl explain`:
 * `GET /openapi/v3` (the root, one entry per group-version) and `GET /openapi/v3/<gv>` (one
 * document per group-version, generated from the registry and the schemas).
 *
 * @example
 * openApiRoot().paths["apis/apps/v1"].serverRelativeURL // "/openapi/v3/apis/apps/v1?hash=..."
 * openApiDocument("apis/apps/v1")?.components.schemas["io.k8s.api.apps.v1.DaemonSet"]
 */
import { resources, type ResourceInfo } from "../registry.ts";
import { allSchemas, refPrefix, schemaNameForGVK, type SchemaMap } from "../schema/index.ts";
import { contentHash } from "./hash.ts";
import { listMetaSchemas, listSchemaFor } from "./list-schemas.ts";
import { resourcePaths, type PathItem } from "./paths.ts";

export interface OpenApiDocument {
  openapi: "3.0.0";
  info: { title: string; version: string };
  paths: Record<string, PathItem>;
  components: { schemas: SchemaMap };
}

export interface OpenApiRoot {
  paths: Record<string, { serverRelativeURL: string }>;
}

/** `api/v1`, `apis/apps/v1`: the key of a group-version in the OpenAPI root. */
const groupVersionPath = (group: string, version: string): string => (group ? `apis/${group}/${version}` : `api/${version}`);

function servedGroupVersions(): Map<string, { group: string; version: string; infos: ResourceInfo[] }> {
  const out = new Map<string, { group: string; version: string; infos: ResourceInfo[] }>();
  for (const info of Object.values(resources) as ResourceInfo[]) {
    for (const version of info.versions) {
      const key = groupVersionPath(info.group, version);
      if (!out.has(key)) out.set(key, { group: info.group, version, infos: [] });
      out.get(key)!.infos.push(info);
    }
  }
  return out;
}

/** Adds `name` and every schema it references (transitively) to `into`. */
function collect(name: string, source: SchemaMap, into: SchemaMap): void {
  if (into[name]) return;
  const schema = source[name];
  if (!schema) throw new Error(`schema ${name} is referenced but not defined`);
  into[name] = schema;
  const refs = JSON.stringify(schema).matchAll(/"\$ref":"([^"]+)"/g);
  for (const [, target] of refs) collect(target.slice(refPrefix.length), source, into);
}

function buildDocument(group: string, version: string, infos: ResourceInfo[]): OpenApiDocument {
  const paths: Record<string, PathItem> = {};
  const source: SchemaMap = { ...allSchemas, ...listMetaSchemas };
  const schemas: SchemaMap = {};
  for (const info of infos) {
    const gvk = { group, version, kind: info.kind };
    const name = schemaNameForGVK(gvk);
    if (!name) throw new Error(`no schema for ${group}/${version} ${info.kind}`);
    const [listName, listSchema] = listSchemaFor(name, gvk);
    source[listName] = listSchema;
    collect(name, source, schemas);
    collect(listName, source, schemas);
    Object.assign(paths, resourcePaths(info, version, name));
  }
  const sorted: SchemaMap = {};
  for (const key of Object.keys(schemas).sort()) sorted[key] = schemas[key];
  return { openapi: "3.0.0", info: { title: "Kubernetes", version: "v1.32.0" }, paths, components: { schemas: sorted } };
}

let cache: Map<string, { document: OpenApiDocument; hash: string }> | undefined;

function documents(): Map<string, { document: OpenApiDocument; hash: string }> {
  if (!cache) {
    cache = new Map();
    for (const [key, { group, version, infos }] of servedGroupVersions()) {
      const document = buildDocument(group, version, infos);
      cache.set(key, { document, hash: contentHash(JSON.stringify(document)) });
    }
  }
  return cache;
}

/** `GET /openapi/v3`. */
export function openApiRoot(): OpenApiRoot {
  const paths: OpenApiRoot["paths"] = {};
  for (const [key, { hash }] of documents()) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
  return { paths };
}

/** `GET /openapi/v3/<groupVersion>` (`"api/v1"`, `"apis/apps/v1"`, ...); undefined when not served. */
export function openApiDocument(groupVersion: string): OpenApiDocument | undefined {
  return documents().get(groupVersion.replace(/^\/+|\/+$/g, ""))?.document;
}

/** The hash of a served document, for `ETag` and for checking a request's `?hash=`. */
export function openApiDocumentHash(groupVersion: string): string | undefined {
  return documents().get(groupVersion.replace(/^\/+|\/+$/g, ""))?.hash;
}
