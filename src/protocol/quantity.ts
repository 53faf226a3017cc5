/**
 * @module
 * Kubernetes resource quantities (`500m`, `1.5`, `128Mi`, `1e3`), parsed exactly (BigInt, no
 * floating point) so `Value()` and `MilliValue()` round up as apimachinery's `resource.Quantity`
 * does: `0.1` is 100 millis, not 101, and compared exactly (`compareQuantities`). The one parser of
 * the Worker (validation, QoS class) and the agent (limits, downward API); dependency-free.
 * Exponents beyond ±1000 and more than 1000 digits are not quantities here (they would cost
 * unbounded BigInt work; no resource needs them).
 *
 * @example
 * milliValue(parseQuantity("250m")!)  // 250n
 * value(parseQuantity("128Mi")!)      // 134217728n
 * compareQuantities(parseQuantity("1Gi")!, parseQuantity("1G")!) // 1
 */

/** value = mantissa × 10^exp10 (binary suffixes are folded into the mantissa). */
export interface Quantity {
  mantissa: bigint;
  exp10: number;
}

const decimalSuffixes: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const binarySuffixes: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

const pattern = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

/** The regular expression Kubernetes names in its quantity parse errors. */
export const quantityRegexp = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";

const maxDigits = 1000;
const maxExponent = 1000;

/** Undefined when the value is not a quantity. Numbers (YAML `cpu: 2`) are accepted too. */
export function parseQuantity(input: unknown): Quantity | undefined {
  if (typeof input === "number" ? !Number.isFinite(input) : typeof input !== "string") return undefined;
  const text = String(input).trim();
  if (text.length > maxDigits + 16) return undefined;
  const match = pattern.exec(text);
  if (!match) return undefined;
  const [, sign, number, suffix = ""] = match;
  const [whole, fraction = ""] = number.split(".");
  let mantissa = BigInt(`${whole || "0"}${fraction}` || "0");
  let exp10 = -fraction.length;
  if (sign === "-") mantissa = -mantissa;
  if (suffix in binarySuffixes) {
    mantissa *= 2n ** BigInt(binarySuffixes[suffix]);
  } else if (suffix in decimalSuffixes) {
    exp10 += decimalSuffixes[suffix];
  } else {
    exp10 += Number(suffix.slice(1));
  }
  if (Math.abs(exp10) > maxExponent) return undefined;
  return { mantissa, exp10 };
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`, exactly. */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  const exp = Math.min(a.exp10, b.exp10);
  const x = a.mantissa * 10n ** BigInt(a.exp10 - exp);
  const y = b.mantissa * 10n ** BigInt(b.exp10 - exp);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function isNegative(q: Quantity): boolean {
  return q.mantissa < 0n;
}

/** ceil(q / 10^exp), exactly. */
function ceilScaled(q: Quantity, exp: number): bigint {
  const shift = q.exp10 - exp;
  if (shift >= 0) return q.mantissa * 10n ** BigInt(shift);
  const divisor = 10n ** BigInt(-shift);
  const quotient = q.mantissa / divisor;
  return q.mantissa % divisor > 0n ? quotient + 1n : quotient;
}

/** `Quantity.Value()`: whole units, rounded up. */
export function value(q: Quantity): bigint {
  return ceilScaled(q, 0);
}

/** `Quantity.MilliValue()`: thousandths, rounded up. */
export function milliValue(q: Quantity): bigint {
  return ceilScaled(q, -3);
}

export function isZero(q: Quantity): boolean {
  return q.mantissa === 0n;
}
