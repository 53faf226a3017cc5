/**
 * @module
 * `?watch=true`: a newline-delimited stream of `{"type","object"}` events, from the resource
 * version given on. The store keeps every object's latest version and tombstones of deleted ones,
 * ordered by resource version, so a watch is a poll of "changed since" (1 s while busy, slower
 * when idle) that ends at `timeoutSeconds` (at most 10 minutes: D1 counts queries per request).
 * A version older than the kept tombstones gets 410 Expired, and clients relist (kubectl-wire §1.7).
 *
 * Headers go out at once: `kubectl rollout status` hangs until its watch times out otherwise.
 * The stream is marked `Content-Encoding: identity`: kubectl (Go) always sends `Accept-Encoding:
 * gzip`, and Cloudflare's edge (and miniflare, which mimics it) would otherwise gzip the stream,
 * holding every event in the compressor's buffer until the watch ends.
 */
import { ApiError } from "../../errors.ts";
import { background, type AppContext } from "../../context.ts";
import type { KubeObject } from "../../../resources/types.ts";
import { changesSince, currentResourceVersion, type ChangeType } from "../../../store/objects.ts";
import { strategyFor } from "../kinds/index.ts";
import { listOptionsInvalid, parseResourceVersion, validateListOptions, versionQuery } from "../list-options.ts";
import { queryInteger, wantsTable } from "../request.ts";
import type { Target } from "../target.ts";
import { checkFieldLabels, includeObjectOf, listMatching, matchesFilters, parseFilters, toTable } from "./read.ts";

const maxWatchSeconds = 600;
const busyPollMs = 1000;
const idlePollMs = 3000;
/** After this long without an event, poll at the idle rate. */
const busyWindowMs = 60_000;

const watchHeaders = { "Content-Type": "application/json", "Content-Encoding": "identity", "Cache-Control": "no-cache, private, no-transform" };

/**
 * What a watcher is told of one stored change, given whether the object matched its filters before
 * (`was`: it was sent and not since removed) and whether its new state matches (for a deletion: its
 * last state). An object that stops matching is DELETED for this watcher; undefined: nothing.
 */
export function watchEventType(change: ChangeType, was: boolean, matches: boolean): ChangeType | undefined {
  if (change === "DELETED") return was || matches ? "DELETED" : undefined;
  if (matches) return was || change === "MODIFIED" ? change : "ADDED";
  return was ? "DELETED" : undefined;
}

/**
 * How long a watch runs, in seconds, for its `timeoutSeconds`: the apiserver takes the value as
 * given (a negative one is a deadline already past: the stream ends at once; 0 or none is its own
 * default), and this server caps it at 10 minutes.
 */
export function watchTimeoutSeconds(requested: number | undefined): number {
  if (requested === undefined || requested === 0) return maxWatchSeconds;
  return Math.max(0, Math.min(requested, maxWatchSeconds));
}

const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""}`;

export async function handleWatch(c: AppContext, target: Target): Promise<Response> {
  const strategy = strategyFor(target.info);
  const filters = parseFilters(c);
  checkFieldLabels(strategy, filters.fields, undefined);
  if (target.name) filters.fields.push({ field: "metadata.name", operator: "=", value: target.name });
  const table = wantsTable(c);
  const include = includeObjectOf(c);
  const rvParam = c.req.query("resourceVersion") ?? "";
  const invalid = validateListOptions({ ...versionQuery(c), watch: true });
  if (invalid.length > 0) throw listOptionsInvalid(invalid);
  const timeoutMs = watchTimeoutSeconds(queryInteger(c, "timeoutSeconds")) * 1000;
  const namespace = target.info.namespaced ? target.namespace : undefined;

  // Where to start: a version means "changes after it"; none or "0" means "current state first".
  const initial: KubeObject[] = [];
  let since: number;
  if (rvParam === "" || rvParam === "0") {
    const listed = await listMatching(c, target, filters);
    initial.push(...listed.items);
    since = Number(listed.resourceVersion);
  } else {
    // A version past the newest is clamped to it: nothing can have changed after a version not yet handed out.
    since = Math.min(parseResourceVersion(rvParam), await currentResourceVersion(c.var.db));
    const probe = await changesSince(c.var.db, target.info.kind, since, namespace);
    if (probe.expired) throw ApiError.expired(`too old resource version: ${since} (${probe.compactedVersion})`);
  }

  const encodeObject = (o: KubeObject) => (table ? toTable(strategy, [o], c.var.now, { resourceVersion: o.metadata.resourceVersion }, include, target.groupVersion) : strategy.encode(o, target.groupVersion));
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const encoder = new TextEncoder();
  const send = (type: string, object: unknown) => writer.write(encoder.encode(`${JSON.stringify({ type, object })}\n`));
  const matching = new Set<string>();

  const run = async () => {
    const started = Date.now();
    let lastEvent = started;
    try {
      for (const o of initial) {
        matching.add(keyOf(o));
        await send("ADDED", encodeObject(o));
      }
      while (Date.now() - started < timeoutMs) {
        const busy = Date.now() - lastEvent < busyWindowMs;
        await new Promise((resolve) => setTimeout(resolve, Math.min(busy ? busyPollMs : idlePollMs, timeoutMs - (Date.now() - started))));
        let set: Awaited<ReturnType<typeof changesSince>>;
        try {
          set = await changesSince(c.var.db, target.info.kind, since, namespace);
        } catch (error) {
          // The store failed: say so in the stream, as the apiserver does, and end it (clients re-watch).
          console.error(`watch ${target.info.plural}: reading changes since ${since} failed`, error);
          await send("ERROR", new ApiError(500, "InternalError", "the watch could not read changes; retry").toStatus());
          return;
        }
        if (set.expired) {
          await send("ERROR", ApiError.expired(`too old resource version: ${since} (${set.compactedVersion})`).toStatus());
          return;
        }
        for (const change of set.changes) {
          const key = keyOf(change.object);
          const matches = matchesFilters(strategy, filters, change.object);
          const type = watchEventType(change.type, matching.has(key), matches);
          if (change.type !== "DELETED" && matches) matching.add(key);
          else matching.delete(key);
          if (type) {
            await send(type, encodeObject(change.object));
            lastEvent = Date.now();
          }
        }
        since = Math.max(since, set.resourceVersion);
      }
    } catch {
      // The client went away (a write was rejected): end the stream.
    } finally {
      await writer.close().catch(() => undefined);
    }
  };
  background(c, run());
  return new Response(readable, { status: 200, headers: watchHeaders });
}
