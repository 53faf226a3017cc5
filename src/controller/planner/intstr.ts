/**
 * @module
 * `intstr.GetScaledValueFromIntOrPercent`: an int is itself, `"N%"` is N percent of `total`,
 * rounded up or down; any other string is an error, as in Kubernetes.
 *
 * @example
 * scaledValue("10%", 15, true); // 2
 * scaledValue(3, 15, true);     // 3
 * scaledValue("10", 15, true);  // throws: string is not a percentage
 */

import type { IntOrString } from "../../resources/types.ts";

export function scaledValue(v: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) throw new Error("nil value for IntOrString");
  if (typeof v === "number") {
    if (!Number.isInteger(v)) throw new Error(`invalid value for IntOrString: ${v} is not an integer`);
    return v;
  }
  if (!v.endsWith("%")) {
    throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage: "${v}"`);
  }
  const digits = v.slice(0, -1);
  // strconv.Atoi: optional sign, decimal digits, nothing else.
  if (!/^[+-]?[0-9]+$/.test(digits)) throw new Error(`invalid value for IntOrString: invalid value "${v}"`);
  const scaled = (Number.parseInt(digits, 10) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}
