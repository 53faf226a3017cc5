import { describe, expect, it } from "vitest";
import { compareQuantities, milliValue, parseQuantity, value } from "./quantity.ts";

describe("parseQuantity", () => {
  it.each([
    { input: "1", milli: 1000n, whole: 1n },
    { input: "0.1", milli: 100n, whole: 1n },
    { input: "250m", milli: 250n, whole: 1n },
    { input: "1.5", milli: 1500n, whole: 2n },
    { input: "128Mi", milli: 134217728000n, whole: 134217728n },
    { input: "1Gi", milli: 1073741824000n, whole: 1073741824n },
    { input: "1k", milli: 1_000_000n, whole: 1000n },
    { input: "500M", milli: 500_000_000_000n, whole: 500_000_000n },
    { input: "1e3", milli: 1_000_000n, whole: 1000n },
    { input: "100n", milli: 1n, whole: 1n },
    { input: 2, milli: 2000n, whole: 2n },
    { input: "0", milli: 0n, whole: 0n },
  ])("$input", ({ input, milli, whole }) => {
    const q = parseQuantity(input);
    expect(q && milliValue(q)).toBe(milli);
    expect(q && value(q)).toBe(whole);
  });

  it.each<unknown>(["", "abc", "1Xi", "--1", "1.2.3", "1e999999999", "9".repeat(5000), null, {}, Number.NaN, Infinity])("rejects %j", (input) => {
    expect(parseQuantity(input)).toBeUndefined();
  });

  it.each([
    { a: "1Gi", b: "1G", want: 1 },
    { a: "500m", b: "0.5", want: 0 },
    { a: "0.1", b: "100m", want: 0 },
    { a: "1", b: "1001m", want: -1 },
    { a: "-1", b: "0", want: -1 },
    { a: "9007199254740993", b: "9007199254740992", want: 1 },
  ])("compares $a with $b exactly", ({ a, b, want }) => {
    expect(compareQuantities(parseQuantity(a)!, parseQuantity(b)!)).toBe(want);
  });
});
