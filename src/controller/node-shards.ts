/**
 * @module
 * How the Worker and the other objects reach the node shards: the shard of a node, and the
 * invalidations a commit sends, batched per shard.
 *
 * @example
 * const { index, stub } = nodeShardOf(env, "edge-17");
 * await stub.sync(index, "edge-17", input);
 */
import { settingsOf } from "../config.ts";
import { shardOf } from "./node-shard-state.ts";

export function nodeShardOf(env: Env, nodeName: string) {
  const index = shardOf(nodeName, settingsOf(env).nodeShards);
  return { index, stub: env.NODE_SHARD.getByName(`shard:${index}`) };
}

/** `names` grouped by their shard index. */
function byShardOf(env: Env, names: readonly string[]): Map<number, string[]> {
  const byShard = new Map<number, string[]>();
  for (const name of new Set(names)) {
    const index = shardOf(name, settingsOf(env).nodeShards);
    byShard.set(index, [...(byShard.get(index) ?? []), name]);
  }
  return byShard;
}

/**
 * The live lease renewal time of each of `names` its shard holds: one call per shard concerned
 * (bounded by the shard count, one call for one node). Names a shard does not hold are absent.
 */
export async function liveLeases(env: Env, names: readonly string[]): Promise<Map<string, number>> {
  const answers = await Promise.all([...byShardOf(env, names)].map(([index, batch]) => env.NODE_SHARD.getByName(`shard:${index}`).leasesOf(batch)));
  return new Map(answers.flatMap((leases) => Object.entries(leases)));
}

/**
 * Tells the shards of `names` that their D1 agent rows changed, one call per shard. A failure is
 * logged, not thrown: the commit stands, and the shard reloads the entry within `shardReloadMs`.
 */
export async function invalidateNodeShards(env: Env, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  await Promise.all(
    [...byShardOf(env, names)].map(([index, batch]) =>
      env.NODE_SHARD.getByName(`shard:${index}`)
        .invalidate(batch)
        .catch((error: unknown) => console.error(`node shard ${index}: invalidation of ${batch.length} nodes failed`, error)),
    ),
  );
}
