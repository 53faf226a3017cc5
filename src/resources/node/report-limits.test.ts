import { describe, expect, it } from "vitest";
import { exceedsBytes } from "./report-limits.ts";

describe("exceedsBytes", () => {
  it.each([
    ["ASCII at the limit", "a".repeat(10), 10, false],
    ["ASCII past the limit", "a".repeat(11), 10, true],
    ["two-byte characters past the limit in bytes though not in characters", "é".repeat(6), 10, true],
    ["three-byte characters within the limit", "€".repeat(3), 10, false],
    ["a surrogate pair counted as four bytes", "😀".repeat(3), 10, true],
    ["an empty text", "", 0, false],
  ])("%s", (_what, text, limit, over) => expect(exceedsBytes(text, limit)).toBe(over));
});
