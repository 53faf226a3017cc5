/**
 * @module
 * Patch metadata: what the Go struct tags of k8s.io/api say about each field, in a form the
 * engines can walk. `patchStrategy`/`patchMergeKey` drive strategic merge patch (apimachinery
 * `LookupPatchMetadata`); `+listType`/`+listMapKey`/`+structType=atomic` drive server-side apply
 * (structured-merge-diff). The two disagree on purpose in places (ports merge by `containerPort`
 * in SMP but are keyed by `containerPort`+`protocol` in SSA), so each node carries both.
 *
 * The tables are sparse: a field that is not described is a plain struct field (maps merge key by
 * key, lists are atomic, scalars are replaced), which is also how lists without a strategy behave.
 *
 * @example
 * const volumes = mergeList("name", {}, undefined, "merge,retainKeys"); // PodSpec.volumes
 * readPatchStrategy(volumes) // { strategy: "merge", retainKeys: true }
 * fieldSchema(struct({ volumes }), "volumes") === volumes // true
 */

export interface SchemaNode {
  /** Struct fields by JSON name. */
  readonly fields?: Readonly<Record<string, SchemaNode>>;
  /** Value type of a `map[string]X` (labels, nodeSelector, data): every key is an entry, not a field. */
  readonly values?: SchemaNode;
  /** Element type of a list. */
  readonly items?: SchemaNode;
  /** The `patchStrategy` tag: "merge", "replace", "retainKeys" or "merge,retainKeys". */
  readonly patchStrategy?: string;
  /** The `patchMergeKey` tag. */
  readonly patchMergeKey?: string;
  /** The `+listType` marker; server-side apply treats lists without one as atomic. */
  readonly listType?: "atomic" | "set" | "map";
  /** The `+listMapKey` markers of a `listType=map` list. */
  readonly listMapKeys?: readonly string[];
  /** OpenAPI defaults of list-map keys, used when an item leaves the key out (ports' protocol). */
  readonly listMapKeyDefaults?: Readonly<Record<string, unknown>>;
  /** `+structType=atomic` / `+mapType=atomic`: server-side apply owns the value as one leaf. */
  readonly atomic?: boolean;
}

/** The schema of field `key` inside `node`, or undefined when the tables do not describe it. */
export const fieldSchema = (node: SchemaNode | undefined, key: string): SchemaNode | undefined =>
  node?.fields?.[key] ?? node?.values;

/** Whether `node` is a `map[string]X`, whose keys are entries rather than struct fields. */
export const isMapType = (node: SchemaNode | undefined): boolean => node?.values !== undefined;

/**
 * Splits a `patchStrategy` tag as apimachinery `extractRetainKeysPatchStrategy` does: "retainKeys"
 * may be combined with one other strategy.
 */
export const readPatchStrategy = (node: SchemaNode | undefined): { strategy: string; retainKeys: boolean } => {
  const parts = node?.patchStrategy ? node.patchStrategy.split(",") : [];
  const retainKeys = parts.includes("retainKeys");
  return { strategy: parts.find((part) => part !== "retainKeys") ?? "", retainKeys };
};

// Builders, so the tables below read like the Go struct tags they mirror.

export const struct = (fields: Record<string, SchemaNode>, extra: Partial<SchemaNode> = {}): SchemaNode => ({ fields, ...extra });

export const stringMap: SchemaNode = { values: {} };

export const atomicStruct = (fields: Record<string, SchemaNode> = {}): SchemaNode => ({ fields, atomic: true });

/** `patchStrategy:"merge" patchMergeKey:<key>`, keyed by `ssaKeys` for server-side apply unless it says atomic. */
export const mergeList = (
  mergeKey: string,
  items: SchemaNode = {},
  ssa: Pick<SchemaNode, "listType" | "listMapKeys" | "listMapKeyDefaults"> = { listType: "map", listMapKeys: [mergeKey] },
  patchStrategy = "merge",
): SchemaNode => ({ patchStrategy, patchMergeKey: mergeKey, items, ...ssa });

/** `patchStrategy:"merge"` on a list of scalars with `+listType=set` (finalizers, podCIDRs). */
export const primitiveSet: SchemaNode = { patchStrategy: "merge", listType: "set" };
