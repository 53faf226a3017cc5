/**
 * @module
 * Field selectors (`?fieldSelector=`), a port of apimachinery's `fields.ParseSelector`: terms
 * joined by commas, each `field=value`, `field==value` or `field!=value`; values may be empty
 * and escape `\`, `,` and `=` with a backslash (`fields.EscapeValue`). Which fields a kind
 * supports is the API layer's business.
 *
 * @example
 * const reqs = parseFieldSelector("spec.nodeName=n1,status.phase!=Succeeded");
 * matchesFields(reqs, { "spec.nodeName": "n1", "status.phase": "Running" }); // true
 */

import { SelectorError } from "./label-selector.ts";

export { SelectorError };

export interface FieldRequirement {
  field: string;
  operator: "=" | "==" | "!=";
  value: string;
}

/** Splits on commas that are not escaped; the backslashes stay for unescapeValue. */
function splitTerms(selector: string): string[] {
  if (selector.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === "\\") inSlash = true;
    else if (c === ",") {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

/** The first operator occurrence splits; "!=" and "==" are tried before "=" at each position. */
function splitTerm(term: string): { lhs: string; op: FieldRequirement["operator"]; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ["!=", "==", "="] as const) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

/** fields.EscapeValue. */
export const escapeFieldValue = (s: string): string => s.replace(/[\\,=]/g, (c) => `\\${c}`);

/** fields.UnescapeValue; errors worded as Kubernetes words them (the rune is printed as its code point, as Go's %v does). */
export function unescapeFieldValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = "";
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== "\\" && c !== "," && c !== "=") throw new SelectorError(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
    } else if (c === "\\") inSlash = true;
    else if (c === "," || c === "=")
      throw new SelectorError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    else out += c;
  }
  if (inSlash) throw new SelectorError("invalid field selector: invalid escape sequence: \\");
  return out;
}

/** fields.ParseSelector: `""` selects everything (`[]`). Terms come back sorted as Go sorts them. */
export function parseFieldSelector(text: string): FieldRequirement[] {
  const reqs: FieldRequirement[] = [];
  for (const part of splitTerms(text).sort()) {
    if (part === "") continue;
    const split = splitTerm(part);
    if (!split) throw new SelectorError(`invalid selector: '${text}'; can't understand '${part}'`);
    reqs.push({ field: split.lhs, operator: split.op, value: unescapeFieldValue(split.rhs) });
  }
  return reqs;
}

/** Every requirement must hold; a field the object does not have compares as "". */
export const matchesFields = (reqs: readonly FieldRequirement[], fields: Record<string, string | undefined>): boolean =>
  reqs.every((r) => {
    const actual = (Object.hasOwn(fields, r.field) ? fields[r.field] : undefined) ?? "";
    return r.operator === "!=" ? actual !== r.value : actual === r.value;
  });

/** Selector.String: terms joined by commas, values escaped. */
export const formatFieldSelector = (reqs: readonly FieldRequirement[]): string =>
  reqs.map((r) => `${r.field}${r.operator === "!=" ? "!=" : "="}${escapeFieldValue(r.value)}`).join(",");

/** The value a selector pins `field` to (`metadata.name=x` → "x"), for narrowing a query. */
export const requiresExactMatch = (reqs: readonly FieldRequirement[], field: string): string | undefined =>
  reqs.find((r) => r.field === field && r.operator !== "!=")?.value;
