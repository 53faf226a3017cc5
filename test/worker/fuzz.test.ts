/**
 * Property-based fuzz of the operator API (issue 10): every route of the Kubernetes API and the
 * /edgeset/v1 admin API gets structured mutations of valid objects and hostile paths, queries and
 * content types. After every request: no 5xx; a 4xx is a Status and changed nothing; an object a
 * 2xx stored can be read back, listed and deleted.
 *
 * In `npm test` it runs a short fixed-seed sample; `npm run fuzz` runs FUZZ_REQUESTS (10,000 by
 * default) requests with a random seed and prints its figures.
 */
import fc from "fast-check";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call } from "./helpers.ts";
import { anyRequest, fuzzNamespace, seeds, storedName, type FuzzRequest, type Seed } from "./fuzz-requests.ts";

const fuzzEnv = env as unknown as { FUZZ_REQUESTS?: string; FUZZ_SEED?: string };
/** Hostile requests to send; each is checked with a few more (reads before and after). */
const hostileRequests = Number(fuzzEnv.FUZZ_REQUESTS || 0) || 150;
const long = Boolean(fuzzEnv.FUZZ_REQUESTS);

const stats = { requests: 0, hostile: 0, byStatus: new Map<number, number>() };

async function send(method: string, path: string, body?: string, contentType?: string, accept?: string): Promise<Response> {
  stats.requests++;
  const res = await call(method, path, body, { contentType: contentType ?? "application/json", accept });
  stats.byStatus.set(res.status, (stats.byStatus.get(res.status) ?? 0) + 1);
  return res;
}

/** Rows no controller writes behind the fuzz's back: ConfigMaps, Secrets and bootstrap tokens. */
async function snapshot(): Promise<string> {
  const rows = await env.DB.prepare("SELECT kind, namespace, name, resource_version FROM objects WHERE kind IN ('ConfigMap', 'Secret') ORDER BY kind, namespace, name").all();
  const tokens = await env.DB.prepare("SELECT id, expires_at, usages_left FROM bootstrap_tokens ORDER BY id").all();
  return JSON.stringify([rows.results, tokens.results]);
}

/** What an operator wrote to an object (not what controllers maintain: status, a Node's taints). */
function userFields(object: any): string {
  const { spec, data, binaryData, type, metadata } = object ?? {};
  const ownSpec = object?.kind === "Node" ? { ...spec, taints: undefined } : spec;
  return JSON.stringify([ownSpec, data, binaryData, type, metadata?.labels, metadata?.annotations, metadata?.finalizers, metadata?.uid]);
}

async function read(seed: Seed, name: string): Promise<{ status: number; fields?: string }> {
  const res = await send("GET", `${seed.collection}/${storedName(seed, name)}`);
  expect(res.status, `GET ${seed.kind} ${name}`).toBeLessThan(500);
  return res.status === 200 ? { status: 200, fields: userFields(await res.json()) } : { status: res.status };
}

async function ensureBase(seed: Seed): Promise<void> {
  if ((await read(seed, "base")).status === 404) await send("POST", seed.collection, JSON.stringify(seed.make("base")));
}

/** The property: one request, then the invariants. */
async function check(request: FuzzRequest): Promise<void> {
  const target = request.target;
  const before = await snapshot();
  const targetBefore = target ? await read(target.seed, target.name) : undefined;
  stats.hostile++;
  const res = await send(request.method, request.path, request.body, request.contentType, request.accept);
  const label = `${request.method} ${request.path.slice(0, 200)} ${request.contentType ?? ""} ${request.accept ?? ""} ${(request.body ?? "").slice(0, 300)}`;
  expect(res.status, label).toBeLessThan(500);
  const text = await res.text();
  if (res.status >= 400) {
    if (text && (res.headers.get("content-type") ?? "").includes("json")) expect(JSON.parse(text), label).toMatchObject({ kind: "Status", code: res.status });
    expect(await snapshot(), `state changed after ${res.status}: ${label}`).toBe(before);
    if (target) expect(await read(target.seed, target.name), `target changed after ${res.status}: ${label}`).toEqual(targetBefore);
    return;
  }
  if (!target) return;
  if ((request.method === "POST" || request.method === "PUT") && (target.seed.kind === "ConfigMap" || target.seed.kind === "Secret")) {
    // Keys are data: every key sent in data, binaryData or stringData is stored (`__proto__` too).
    const sent = JSON.parse(request.body ?? "{}");
    const kept = JSON.parse(text);
    const keysOf = (o: unknown) => (o && typeof o === "object" && !Array.isArray(o) ? Object.keys(o) : []);
    const storedKeys = new Set([...keysOf(kept.data), ...keysOf(kept.binaryData)]);
    const maps = target.seed.kind === "Secret" ? [sent.data, sent.stringData] : [sent.data, sent.binaryData];
    for (const k of maps.flatMap(keysOf)) expect(storedKeys.has(k), `key ${JSON.stringify(k)} dropped: ${label}`).toBe(true);
  }
  // Whatever a 2xx stored can be read, listed and (for created objects) deleted again.
  const after = await read(target.seed, target.name);
  expect((await send("GET", target.seed.collection)).status, `list after ${label}`).toBe(200);
  if (!request.existing && after.status === 200) {
    const del = await send("DELETE", `${target.seed.collection}/${storedName(target.seed, target.name)}?gracePeriodSeconds=0`);
    expect(del.status, `delete after ${label}`).toBeLessThan(300);
  }
  if (request.existing && after.status === 404) await ensureBase(target.seed);
}

describe("API fuzz", () => {
  it(
    `answers ${long ? hostileRequests : "a sample of"} hostile requests without a 5xx, changing nothing when it refuses`,
    async () => {
      expect((await call("POST", "/api/v1/namespaces", { metadata: { name: fuzzNamespace } })).status).toBe(201);
      for (const seed of seeds) await ensureBase(seed);
      const started = Date.now();
      const seed = fuzzEnv.FUZZ_SEED ? Number(fuzzEnv.FUZZ_SEED) : long ? Date.now() : 1010;
      await fc.assert(fc.asyncProperty(anyRequest, check), { numRuns: hostileRequests, seed, endOnFailure: !long });
      const seconds = (Date.now() - started) / 1000;
      const statuses = [...stats.byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}:${n}`).join(" ");
      console.log(`fuzz: seed ${seed}, ${stats.hostile} hostile requests (${stats.requests} with the checks) in ${seconds.toFixed(1)} s (${(stats.requests / seconds).toFixed(0)}/s); statuses ${statuses}`);
    },
    long ? 3_600_000 : 60_000,
  );
});
