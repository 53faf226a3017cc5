/**
 * @module
 * Nesting depth, checked without recursion, before anything recursive (JSON.parse, validation,
 * patching, SQLite's JSON functions, which refuse more than 1000 levels) sees a value.
 * Kubernetes' decoder allows 10000 levels; edgeset's store needs fewer than 1000, and no
 * Kubernetes object comes near 100 (a DaemonSet's deepest field, with its managedFields, is
 * about 20), so 100 it is.
 *
 * @example
 * tooDeepInText('{"a":[[1]]}', 2) // "a[0]"
 * tooDeepInValue({ a: [[1]] }, 2) // "a[0]"
 */

export const maxJsonDepth = 100;

const maxKeyShown = 64;

/** `a.b[0].c` from the keys and indexes of the open containers. */
function pathOf(stack: readonly (string | number)[]): string {
  let path = "";
  for (const step of stack) {
    if (typeof step === "number") path += `[${step}]`;
    else path += path ? `.${step}` : step;
  }
  return path;
}

/**
 * The path of the first container nested deeper than `max` in the JSON `text`, or undefined.
 * A linear scan of the raw text: strings are skipped, so brackets inside them do not count; it
 * does not validate the JSON (JSON.parse does that afterwards, on text known to be shallow).
 */
export function tooDeepInText(text: string, max = maxJsonDepth): string | undefined {
  // One entry per open container: the current key (objects) or index (arrays).
  const stack: (string | number)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      const start = i + 1;
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c /* \ */) i++;
      if (expectKey) {
        stack[stack.length - 1] = text.slice(start, Math.min(i, start + maxKeyShown));
        expectKey = false;
      }
    } else if (ch === 0x7b /* { */ || ch === 0x5b /* [ */) {
      if (stack.length >= max) return pathOf(stack) || "<root>";
      stack.push(ch === 0x5b ? 0 : "");
      expectKey = ch === 0x7b;
    } else if (ch === 0x7d /* } */ || ch === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (ch === 0x2c /* , */ && stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (typeof top === "number") stack[stack.length - 1] = top + 1;
      else expectKey = true;
    }
  }
  return undefined;
}

/** The path of the first object or array nested deeper than `max` in `value`, or undefined. */
export function tooDeepInValue(value: unknown, max = maxJsonDepth): string | undefined {
  // Depth-first with an explicit stack, so a value of any depth cannot overflow the call stack.
  const pending: { value: unknown; depth: number; path: string }[] = [{ value, depth: 0, path: "" }];
  while (pending.length > 0) {
    const { value: here, depth, path } = pending.pop()!;
    if (typeof here !== "object" || here === null) continue;
    if (depth >= max) return path || "<root>";
    if (Array.isArray(here)) here.forEach((item, i) => pending.push({ value: item, depth: depth + 1, path: `${path}[${i}]` }));
    else for (const [k, item] of Object.entries(here)) pending.push({ value: item, depth: depth + 1, path: path ? `${path}.${k.slice(0, maxKeyShown)}` : k.slice(0, maxKeyShown) });
  }
  return undefined;
}
