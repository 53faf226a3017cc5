import { describe, expect, it } from "vitest";
import { scaledValue } from "./intstr.ts";

describe("scaledValue (intstr.GetScaledValueFromIntOrPercent)", () => {
  it.each([
    { v: "10%", total: 15, roundUp: true, want: 2 },
    { v: "10%", total: 5, roundUp: true, want: 1 },
    { v: "50%", total: 3, roundUp: true, want: 2 },
    { v: "25%", total: 5, roundUp: true, want: 2 },
    { v: "100%", total: 2, roundUp: true, want: 2 },
    { v: "10%", total: 15, roundUp: false, want: 1 },
    { v: "0%", total: 100, roundUp: true, want: 0 },
    { v: "10%", total: 0, roundUp: true, want: 0 },
    { v: 3, total: 100, roundUp: true, want: 3 },
    { v: 0, total: 5, roundUp: true, want: 0 },
  ])("$v of $total (roundUp $roundUp) is $want", ({ v, total, roundUp, want }) => {
    expect(scaledValue(v, total, roundUp)).toBe(want);
  });

  it.each([
    { v: "10", error: /not a percentage/ },
    { v: "abc%", error: /invalid value/ },
    { v: "1.5%", error: /invalid value/ },
    { v: undefined, error: /nil value/ },
    { v: 1.5, error: /not an integer/ },
  ])("rejects $v", ({ v, error }) => {
    expect(() => scaledValue(v, 10, true)).toThrow(error);
  });
});
