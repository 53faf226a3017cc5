/**
 * Request generators for the API fuzz (fuzz.test.ts): valid objects of every kind, structured
 * mutations of them (wrong types at every path, nulls in lists and maps, deep nesting, numbers
 * past their range, keys that are JavaScript names, long strings), and hostile paths, queries
 * and content types, over the Kubernetes API and the /edgeset/v1 admin API.
 */
import fc from "fast-check";

export const fuzzNamespace = "fuzz";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Seed {
  kind: string;
  /** Collection path. */
  collection: string;
  /** A valid object named `name`. */
  make(name: string): Json;
}

const ns = `/api/v1/namespaces/${fuzzNamespace}`;

export const seeds: Seed[] = [
  {
    kind: "ConfigMap",
    collection: `${ns}/configmaps`,
    make: (name) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, labels: { app: "x" }, annotations: { note: "y" } }, data: { a: "1", "b.conf": "x=1" }, binaryData: { c: "aGk=" } }),
  },
  {
    kind: "Secret",
    collection: `${ns}/secrets`,
    make: (name) => ({ apiVersion: "v1", kind: "Secret", metadata: { name }, type: "Opaque", data: { k: "dg==" }, stringData: { s: "x" } }),
  },
  {
    kind: "DaemonSet",
    collection: `/apis/apps/v1/namespaces/${fuzzNamespace}/daemonsets`,
    make: (name) => ({
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name, labels: { app: name } },
      spec: {
        selector: { matchLabels: { app: name }, matchExpressions: [{ key: "tier", operator: "In", values: ["a"] }] },
        minReadySeconds: 1,
        revisionHistoryLimit: 3,
        updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "10%", maxSurge: 0 } },
        template: {
          metadata: { labels: { app: name, tier: "a" }, annotations: { a: "b" } },
          spec: {
            nodeSelector: { "fuzz.example/never": "true" },
            tolerations: [{ key: "k", operator: "Equal", value: "v", effect: "NoSchedule", tolerationSeconds: 30 }],
            affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "arch", operator: "In", values: ["arm64"] }] }] } } },
            terminationGracePeriodSeconds: 10,
            containers: [
              {
                name: "main",
                image: "busybox:1.36",
                command: ["sleep", "3600"],
                env: [{ name: "A", value: "1" } as Json, { name: "B", valueFrom: { configMapKeyRef: { name: "cm", key: "a" } } }],
                ports: [{ containerPort: 80, protocol: "TCP" }],
                resources: { limits: { cpu: "100m", memory: "64Mi" } },
                livenessProbe: { httpGet: { path: "/", port: 80 }, periodSeconds: 10 },
                volumeMounts: [{ name: "cfg", mountPath: "/etc/cfg" }],
                securityContext: { runAsUser: 1000, readOnlyRootFilesystem: true },
              },
            ],
            volumes: [{ name: "cfg", configMap: { name: "cm", items: [{ key: "a", path: "a.txt" }] } }],
          },
        },
      },
    }),
  },
  {
    kind: "Pod",
    collection: `${ns}/pods`,
    make: (name) => ({ apiVersion: "v1", kind: "Pod", metadata: { name }, spec: { containers: [{ name: "c", image: "busybox", args: ["a"] }], restartPolicy: "Always" } }),
  },
  {
    kind: "Node",
    collection: "/api/v1/nodes",
    make: (name) => ({ apiVersion: "v1", kind: "Node", metadata: { name: `fuzz-${name}`, labels: { zone: "a" } }, spec: { taints: [{ key: "k", value: "v", effect: "NoSchedule" }], unschedulable: false } }),
  },
  {
    kind: "Namespace",
    collection: "/api/v1/namespaces",
    make: (name) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name: `fuzz-${name}`, labels: { team: "a" } } }),
  },
  {
    kind: "Event",
    collection: `${ns}/events`,
    make: (name) => ({ apiVersion: "v1", kind: "Event", metadata: { name }, involvedObject: { kind: "Pod", name: "p", namespace: fuzzNamespace }, reason: "R", message: "m", type: "Normal", count: 1 }),
  },
];

/** Object name of a seed object as stored (Nodes and Namespaces get a prefix). */
export const storedName = (seed: Seed, name: string): string => ((seed.make(name) as { metadata: { name: string } }).metadata.name);

// ---- values ---------------------------------------------------------------------------------

const nested = (depth: number): Json => {
  let value: Json = 1;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
};

export const oddKeys = ["__proto__", "constructor", "toString", "valueOf", "hasOwnProperty", "", " ", "a/b", "a~1b", "..", "$ref", "ünï", "\u0000", "k".repeat(300), "x.y/z"];

const hostileScalars: Json[] = [
  "replace", "delete", "merge", "1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "-1000000-01-01T00:00:00Z",
  null, true, false, 0, -1, 1.5, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, 1e20, -1e20, 1e300, Number.MAX_SAFE_INTEGER,
  "", " ", "-rf", "../../etc", "%E0%A4%A", "1e20", "null", "\u0000", "\ud800", "🙂", "x".repeat(70_000),
];

/** One hostile value: a scalar, a container of the wrong shape, nulls in a list or map, deep nesting. */
export const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(...hostileScalars),
  fc.constantFrom<Json>([], {}, [null], { a: null }, [[]], [{}], ["a", 1, null]),
  fc.constantFrom(90, 101, 150, 999, 1200).map(nested),
  fc.constantFrom(...oddKeys).map((k) => withKey({}, k, "v")),
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
);

/** Sets an own key, `__proto__` included (an assignment would set the prototype). */
function withKey(object: { [key: string]: Json }, key: string, value: Json): { [key: string]: Json } {
  Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  return object;
}

// ---- structured mutation ------------------------------------------------------------------

type Path = (string | number)[];

/** Every path in a JSON value, the root included. */
function pathsOf(value: Json, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(value)) value.forEach((item, i) => pathsOf(item, [...at, i], out));
  else if (value && typeof value === "object") for (const [k, item] of Object.entries(value)) pathsOf(item, [...at, k], out);
  return out;
}

export interface Mutation {
  how: "replace" | "addKey" | "delete" | "append";
  pick: number;
  key: string;
  value: Json;
}

/** Keys the API gives meaning to: server-owned metadata and strategic-merge-patch directives. */
const meaningfulKeys = [
  "managedFields", "ownerReferences", "finalizers", "deletionTimestamp", "deletionGracePeriodSeconds", "generateName", "resourceVersion", "uid", "namespace", "generation", "creationTimestamp",
  "$patch", "$retainKeys", "$setElementOrder/containers", "$setElementOrder/finalizers", "$deleteFromPrimitiveList/finalizers", "$deleteFromPrimitiveList/command", "status", "stringData", "immutable",
];

export const mutation: fc.Arbitrary<Mutation> = fc.record({
  how: fc.constantFrom("replace", "replace", "addKey", "delete", "append"),
  pick: fc.nat(),
  key: fc.oneof(fc.constantFrom(...oddKeys), fc.constantFrom(...meaningfulKeys), fc.string({ maxLength: 8 })),
  value: hostileValue,
});

const mutations = fc.array(mutation, { minLength: 1, maxLength: 3 });

/** `value` (deep-copied) with `m` applied at one of its paths. */
export function mutate(value: Json, m: Mutation): Json {
  const copy = JSON.parse(JSON.stringify(value)) as Json;
  const paths = pathsOf(copy);
  const path = paths[m.pick % paths.length]!;
  if (path.length === 0) return m.how === "replace" ? m.value : copy;
  let parent: Json = copy;
  for (const step of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[step]!;
  const last = path[path.length - 1]!;
  const target = (parent as Record<string | number, Json>)[last]!;
  if (m.how === "replace") (parent as Record<string | number, Json>)[last] = m.value;
  else if (m.how === "delete") {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete (parent as Record<string, Json>)[last];
  } else if (m.how === "addKey" && target && typeof target === "object" && !Array.isArray(target)) withKey(target, m.key, m.value);
  else if (m.how === "append" && Array.isArray(target)) target.push(m.value);
  else (parent as Record<string | number, Json>)[last] = m.value;
  return copy;
}

// ---- requests -------------------------------------------------------------------------------

export interface FuzzRequest {
  method: string;
  path: string;
  body?: string;
  contentType?: string;
  accept?: string;
  /** The object this request aims at, to check it is unchanged after a 4xx. */
  target?: { seed: Seed; name: string };
  /** Whether the target already exists (update, patch, delete) or should not (create). */
  existing: boolean;
}

const patchTypes = ["application/merge-patch+json", "application/strategic-merge-patch+json", "application/json-patch+json", "application/apply-patch+yaml"];
const oddContentTypes = ["text/plain", "application/yaml", "application/x-www-form-urlencoded", "application/vnd.kubernetes.protobuf", "", "application/json; charset=utf-16", "multipart/form-data; boundary=x"];
// No "..": URLs resolve dot segments before the Worker sees the path (WHATWG URL), so it would
// only aim the request at another real path (a namespace's own DELETE).
const badSegments = ["%E0%A4%A", "%", "%ZZ", "%C0%AF", "...", "%00", "a%2Fb", "x".repeat(300), "UPPER", "-", "__proto__", "constructor"];
const oddQueries = [
  "limit=1e20", "limit=-5", "limit=abc", "limit=9007199254740993", "continue=%%%", "continue=bm90LWpzb24=", "labelSelector=a%20in%20(", "labelSelector=__proto__=x", "fieldSelector=metadata.name%3D%3D%3D",
  "fieldSelector=spec.unknown=x", "resourceVersion=-1", "fieldValidation=Maybe", "fieldValidation=Strict", "dryRun=Some", "dryRun=All", "gracePeriodSeconds=1e20", "gracePeriodSeconds=-3",
  "propagationPolicy=Sideways", "fieldManager=" + "m".repeat(200), "force=true", "watch=true&timeoutSeconds=abc", "watch=true&resourceVersion=abc", "includeObject=Sometimes", "timeoutSeconds=1e20",
  "resourceVersionMatch=Exact", "resourceVersion=0&resourceVersionMatch=Exact", "resourceVersion=1&resourceVersionMatch=Sometimes", "resourceVersion=18446744073709551616", "resourceVersion=%2B1",
  "sendInitialEvents=true", "watch=true&timeoutSeconds=-1", "watch=true&resourceVersionMatch=NotOlderThan", "watch=true&sendInitialEvents=true", "watch=true&timeoutSeconds=-1&resourceVersion=99999999999999999999",
];

const oddAccepts = [
  "application/json", "application/json;as=Table;v=v1;g=meta.k8s.io", "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json", "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io",
  "application/vnd.kubernetes.protobuf", "application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io", "application/yaml", "text/html", "*/*", "", ";;;", "application/json;as=Table;v=v9",
];

const nameArb = fc.stringMatching(/^[a-z][a-z0-9]{2,8}$/);

/** The body text of a mutated object; occasionally cut short or wrapped in something that is no object. */
const bodyText = (value: Json, framing: number): string => {
  const text = JSON.stringify(value);
  if (framing === 1) return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
  if (framing === 2) return `[${text}]`;
  if (framing === 3) return "null";
  return text;
};

const framingArb = fc.oneof(fc.constant(0), fc.constant(0), fc.constant(0), fc.constant(0), fc.constantFrom(1, 2, 3));

/** A patch of each type built from a mutated object. */
function patchBody(type: string, seed: Seed, name: string, m: Mutation): string {
  const mutated = mutate(seed.make(name), m);
  if (type === "application/json-patch+json") {
    const paths = pathsOf(seed.make(name)).filter((p) => p.length > 0);
    const path = paths[m.pick % paths.length]!;
    const pointer = "/" + path.map((s) => String(s).replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
    const op = (["add", "replace", "remove", "test", "move", "copy"] as const)[m.pick % 6];
    return JSON.stringify([{ op, path: m.how === "addKey" ? `${pointer}/${m.key}` : pointer, value: m.value, from: "/metadata/name" }]);
  }
  if (type === "application/apply-patch+yaml" || !mutated || typeof mutated !== "object" || Array.isArray(mutated)) return JSON.stringify(mutated);
  // Merge-style patches: the mutated object minus its identity, so most of it is a real change.
  return JSON.stringify({ ...mutated, metadata: m.how === "delete" ? null : mutated.metadata });
}

export const kubeRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  // Create a mutated object (one to three mutations).
  fc.record({ seed: fc.constantFrom(...seeds), name: nameArb, ms: mutations, framing: framingArb }).map(({ seed, name, ms, framing }) => ({
    method: "POST",
    path: seed.collection,
    body: bodyText(ms.reduce(mutate, seed.make(name)), framing),
    target: { seed, name },
    existing: false,
  })),
  // Keys that are JavaScript names, in every map of a ConfigMap or Secret.
  fc.record({
    secret: fc.boolean(),
    field: fc.constantFrom("data", "binaryData", "stringData", "labels", "annotations"),
    keys: fc.subarray(oddKeys, { minLength: 1, maxLength: 4 }),
    name: nameArb,
  }).map(({ secret, field, keys, name }) => {
    const seed = seeds.find((s) => s.kind === (secret ? "Secret" : "ConfigMap"))!;
    const object = seed.make(name) as Record<string, Record<string, Json>>;
    const map: { [key: string]: Json } = {};
    for (const k of keys) withKey(map, k, field === "data" && secret ? "dg==" : field === "binaryData" ? "aGk=" : "v");
    if (field === "labels" || field === "annotations") withKey(object.metadata!, field, map);
    else withKey(object, field, map);
    return { method: "POST", path: seed.collection, body: JSON.stringify(object), target: { seed, name }, existing: false };
  }),
  // Replace an existing object with a mutated one.
  fc.record({ seed: fc.constantFrom(...seeds), ms: mutations, framing: framingArb }).map(({ seed, ms, framing }) => ({
    method: "PUT",
    path: `${seed.collection}/${storedName(seed, "base")}`,
    body: bodyText(ms.reduce(mutate, seed.make("base")), framing),
    target: { seed, name: "base" },
    existing: true,
  })),
  // Patch an existing object, every patch type.
  fc.record({ seed: fc.constantFrom(...seeds), m: mutation, type: fc.constantFrom(...patchTypes) }).map(({ seed, m, type }) => ({
    method: "PATCH",
    path: `${seed.collection}/${storedName(seed, "base")}?fieldManager=fuzz`,
    body: patchBody(type, seed, "base", m),
    contentType: type,
    target: { seed, name: "base" },
    existing: true,
  })),
  // Delete with hostile options.
  fc.record({ seed: fc.constantFrom(...seeds), options: hostileValue, query: fc.constantFrom("", "?gracePeriodSeconds=1e20", "?propagationPolicy=Nope", "?gracePeriodSeconds=x", "?dryRun=All") }).map(({ seed, options, query }) => ({
    method: "DELETE",
    path: `${seed.collection}/${storedName(seed, "base")}${query}`,
    body: JSON.stringify(options && typeof options === "object" && !Array.isArray(options) ? { gracePeriodSeconds: options } : options),
    target: { seed, name: "base" },
    existing: true,
  })),
  // Reads with odd queries and Accept headers.
  fc.record({ seed: fc.constantFrom(...seeds), query: fc.constantFrom(...oddQueries), one: fc.boolean(), accept: fc.constantFrom(...oddAccepts) }).map(({ seed, query, one, accept }) => ({
    method: "GET",
    path: `${seed.collection}${one ? `/${storedName(seed, "base")}` : ""}?${query}`,
    accept,
    existing: false,
  })),
  // Hostile path segments anywhere in a path.
  fc.record({ seed: fc.constantFrom(...seeds), segment: fc.constantFrom(...badSegments), method: fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE"), where: fc.nat(4) }).map(({ seed, segment, method, where }) => {
    const parts = `${seed.collection}/base/status`.split("/");
    parts[Math.min(where + 2, parts.length - 1)] = segment;
    return { method, path: parts.join("/"), body: method === "GET" || method === "DELETE" ? undefined : "{}", contentType: method === "PATCH" ? "application/merge-patch+json" : undefined, existing: false };
  }),
  // Odd content types on writes.
  fc.record({ seed: fc.constantFrom(...seeds), type: fc.constantFrom(...oddContentTypes), method: fc.constantFrom("POST", "PUT", "PATCH") }).map(({ seed, type, method }) => ({
    method,
    path: method === "POST" ? seed.collection : `${seed.collection}/${storedName(seed, "base")}`,
    body: JSON.stringify(seed.make("base")),
    contentType: type,
    target: method === "POST" ? undefined : { seed, name: "base" },
    existing: method !== "POST",
  })),
  // Bytes that are no JSON: protobuf (with and without the k8s magic prefix) and random text.
  fc.record({ seed: fc.constantFrom(...seeds), bytes: fc.string({ maxLength: 200 }), magic: fc.boolean(), method: fc.constantFrom("POST", "PUT") }).map(({ seed, bytes, magic, method }) => ({
    method,
    path: method === "POST" ? seed.collection : `${seed.collection}/${storedName(seed, "base")}`,
    body: (magic ? "k8s\u0000\n\u0002" : "") + bytes,
    contentType: "application/vnd.kubernetes.protobuf",
    target: method === "POST" ? undefined : { seed, name: "base" },
    existing: method !== "POST",
  })),
  // Discovery, OpenAPI, access reviews, unknown verbs and paths.
  fc.record({ path: fc.constantFrom("/api", "/apis", "/api/v1", "/apis/apps/v1", "/openapi/v3", "/openapi/v3/api/v1", "/openapi/v3/apis/%E0", "/apis/x/y/z", "/api/v1/namespaces/fuzz/leases", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/%ZZ"), method: fc.constantFrom("GET", "POST", "OPTIONS", "HEAD") }).map(({ path, method }) => ({ method, path, body: method === "POST" ? "{}" : undefined, existing: false })),
  hostileValue.map((value) => ({ method: "POST", path: "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", body: JSON.stringify({ spec: { resourceAttributes: value } }), existing: false })),
);

/** The /edgeset/v1 admin API: token create with mutated bodies, deletes of odd ids, lists. */
export const adminRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  fc.record({ m: mutation, framing: framingArb }).map(({ m, framing }) => ({
    method: "POST",
    path: "/edgeset/v1/bootstraptokens",
    body: bodyText(mutate({ ttlSeconds: 600, usages: 3, description: "fuzz" }, m), framing),
    existing: false,
  })),
  fc.constantFrom(...badSegments, "abcdef", "ABCDEF").map((id) => ({ method: "DELETE", path: `/edgeset/v1/bootstraptokens/${id}`, existing: false })),
  fc.constantFrom("GET", "PUT", "PATCH").map((method) => ({ method, path: "/edgeset/v1/bootstraptokens", body: method === "GET" ? undefined : "{}", existing: false })),
  // API tokens with roles: mutated requests, odd ids, wrong verbs.
  fc.record({ m: mutation, framing: framingArb }).map(({ m, framing }) => ({
    method: "POST",
    path: "/edgeset/v1/apitokens",
    body: bodyText(mutate({ role: "operator", namespaces: ["fuzz"], ttlSeconds: 600, description: "fuzz" }, m), framing),
    existing: false,
  })),
  fc.constantFrom(...badSegments, "abcdef", "edgeset.x.y").map((id) => ({ method: "DELETE", path: `/edgeset/v1/apitokens/${id}`, existing: false })),
  fc.constantFrom("GET", "PUT", "PATCH").map((method) => ({ method, path: "/edgeset/v1/apitokens", body: method === "GET" ? undefined : "{}", existing: false })),
  // The audit log with odd paging and times.
  fc
    .record({ since: fc.constantFrom("", "1h", "-1", "1e20", "%ZZ", "2026-12-03T00:00:00Z", "x".repeat(300)), limit: fc.constantFrom("", "0", "-5", "1e20", "abc", "100000"), cont: fc.constantFrom("", "%E0%A4%A", "eyJ9", "x") })
    .map(({ since, limit, cont }) => ({ method: "GET", path: `/edgeset/v1/audit?since=${since}&limit=${limit}&continue=${cont}`, existing: false })),
  // Self reviews: rules review and whoami with hostile specs.
  hostileValue.map((value) => ({ method: "POST", path: "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", body: JSON.stringify({ spec: { namespace: value } }), existing: false })),
  hostileValue.map((value) => ({ method: "POST", path: "/apis/authentication.k8s.io/v1/selfsubjectreviews", body: JSON.stringify({ spec: value }), existing: false })),
);

export const anyRequest = fc.oneof({ arbitrary: kubeRequest, weight: 6 }, { arbitrary: adminRequest, weight: 1 });
