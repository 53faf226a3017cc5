/**
 * @module
 * The set of fields an object sets, as structured-merge-diff `TypedValue.ToFieldSet` computes
 * it for server-side apply: every scalar, every atomic list or struct, every keyed list item
 * (a member itself, plus its fields), every map entry, and every null or empty map. Struct fields
 * holding maps are not members themselves. The fields the apiserver never tracks (apiVersion, kind,
 * name, namespace, uid, resourceVersion, …: managedfields `stripMetaManager`) are left out.
 *
 * @example
 * computeFieldsV1({ metadata: { name: "x", labels: { app: "x" } } }, "DaemonSet")
 * // { "f:metadata": { "f:labels": { "f:app": {} } } }
 */
import { isJsonObject } from "./json-value.ts";
import { schemaForKind } from "./kind-schemas.ts";
import { childOf, differenceFieldSets, emptyFieldSet, toFieldsV1, type FieldSet, type FieldsV1 } from "./field-set.ts";
import { fieldSchema, isMapType, type SchemaNode } from "./patch-meta.ts";
import { fieldElement, listItemElement } from "./path-element.ts";

/** managedfields `stripMetaManager`: paths no manager ever owns. */
const strippedFields: FieldSet = (() => {
  const set = emptyFieldSet();
  childOf(set, "f:apiVersion").member = true;
  childOf(set, "f:kind").member = true;
  const metadata = childOf(set, "f:metadata");
  metadata.member = true;
  for (const name of ["name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName", "generation", "managedFields", "resourceVersion"]) {
    childOf(metadata, fieldElement(name)).member = true;
  }
  return set;
})();

function collect(value: unknown, node: SchemaNode | undefined, set: FieldSet): void {
  if (isJsonObject(value)) {
    if (node?.atomic) {
      set.member = true;
      return;
    }
    for (const [key, item] of Object.entries(value)) {
      const child = childOf(set, fieldElement(key));
      collect(item, fieldSchema(node, key), child);
      if (item === null || (isJsonObject(item) && Object.keys(item).length === 0) || isMapType(node)) child.member = true;
    }
    return;
  }
  if (Array.isArray(value)) {
    if (node?.listType !== "set" && node?.listType !== "map") {
      set.member = true;
      return;
    }
    const elements = value.map((item) => listItemElement(item, node));
    if (elements.some((element) => element === undefined)) {
      set.member = true;
      return;
    }
    value.forEach((item, i) => {
      const child = childOf(set, elements[i]!);
      collect(item, node?.items, child);
      child.member = true;
    });
    return;
  }
  set.member = true;
}

/** The field set of a value at some node of a kind's schema (system fields included). */
export function fieldSetOf(value: unknown, node: SchemaNode | undefined): FieldSet {
  const set = emptyFieldSet();
  collect(value, node, set);
  return set;
}

/** The field set of `object` (a whole object of `kind`), system fields excluded. */
export function computeFieldSet(object: unknown, kind: string): FieldSet {
  const set = emptyFieldSet();
  collect(object, schemaForKind(kind), set);
  set.member = false;
  return differenceFieldSets(set, strippedFields);
}

/** The FieldsV1 JSON of `object`, as `managedFields[].fieldsV1` records it. */
export function computeFieldsV1(object: unknown, kind: string): FieldsV1 {
  return toFieldsV1(computeFieldSet(object, kind));
}
