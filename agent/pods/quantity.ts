/**
 * @module
 * Kubernetes resource quantities (`500m`, `1.5`, `128Mi`, `1e3`), parsed exactly (BigInt, no
 * floating point) so `Value()` and `MilliValue()` round up as apimachinery's `resource.Quantity`
 * does: `0.1` is 100 millis, not 101.
 *
 * @example
 * milliValue(parseQuantity("250m")!)  // 250n
 * value(parseQuantity("128Mi")!)      // 134217728n
 */

/** value = mantissa × 10^exp10 (binary suffixes are folded into the mantissa). */
export interface Quantity {
  mantissa: bigint;
  exp10: number;
}

const decimalSuffixes: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const binarySuffixes: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

const pattern = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

/** Undefined when the text is not a quantity. Numbers (YAML `cpu: 2`) are accepted too. */
export function parseQuantity(input: string | number | undefined): Quantity | undefined {
  if (input === undefined) return undefined;
  const text = String(input).trim();
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
  return { mantissa, exp10 };
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
