/**
 * @module
 * D1 binds at most 100 parameters per statement (enforced locally too). Every multi-row insert
 * goes through `chunkRows`, so no statement passes the limit however many rows there are.
 *
 * @example
 * for (const rows of chunkRows(refs, 5)) db.insert(configRefs).values(rows); // 20 rows per statement
 */

export const maxBoundParameters = 100;

export function chunkRows<T>(rows: readonly T[], columnsPerRow: number, maxParameters = maxBoundParameters): T[][] {
  const perChunk = Math.max(1, Math.floor(maxParameters / columnsPerRow));
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += perChunk) chunks.push(rows.slice(i, i + perChunk));
  return chunks;
}
