/**
 * @module
 * Kubernetes `$(VAR)` expansion (k8s.io/kubernetes third_party/forked/golang/expansion `Expand`),
 * used for env values, command and args. Pure.
 *
 * @example
 * expandVariables("http://$(HOST):$(PORT)/", (n) => ({ HOST: "a", PORT: "80" })[n]) // "http://a:80/"
 * expandVariables("$$(HOST)", () => "x")                                           // "$(HOST)"
 */

/** `$(NAME)` becomes the mapped value (kept as written when unknown), `$$` becomes `$`, anything else is literal. */
export function expandVariables(input: string, lookup: (name: string) => string | undefined): string {
  let out = "";
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== "$" || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const next = input[cursor + 1];
    let advance = 1;
    if (next === "$") {
      out += "$";
    } else if (next === "(") {
      const close = input.indexOf(")", cursor + 2);
      if (close >= 0) {
        const name = input.slice(cursor + 2, close);
        out += lookup(name) ?? `$(${name})`;
        advance = close - cursor;
      } else {
        out += "$(";
      }
    } else {
      out += `$${next}`;
    }
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}
