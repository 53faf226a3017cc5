import { describe, expect, it } from "vitest";
import { chunkRows, maxBoundParameters } from "./chunk.ts";

describe("chunkRows", () => {
  it.each([
    [0, 5, []],
    [20, 5, [20]],
    [21, 5, [20, 1]],
    [45, 3, [33, 12]],
    [3, 150, [1, 1, 1]],
  ])("%i rows of %i columns -> chunks of %j", (rows, columns, sizes) => {
    const chunks = chunkRows(Array.from({ length: rows }, (_, i) => i), columns);
    expect(chunks.map((c) => c.length)).toEqual(sizes);
    for (const c of chunks) if (columns <= maxBoundParameters) expect(c.length * columns).toBeLessThanOrEqual(maxBoundParameters);
  });
});
