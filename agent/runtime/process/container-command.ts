/**
 * @module
 * Turns a container spec into what to exec: the environment (plain `value`s, with Kubernetes
 * `$(VAR)` references expanded against the variables defined before them) and the argv
 * (`command` + `args`, expanded against the container's environment), as the kubelet's
 * `makeEnvironmentVariables` and `ExpandContainerCommandAndArgs` do. `valueFrom` needs the API
 * (ConfigMaps, Secrets, the downward API) and is skipped for now. Pure.
 *
 * @example
 * buildContainerCommand({ name: "c", command: ["echo", "$(GREETING)"], env: [{ name: "GREETING", value: "hi" }] }, {})
 * // { argv: ["echo", "hi"], env: { GREETING: "hi" } }
 */
import type { Container } from "../../../src/resources/types.ts";

/**
 * k8s.io/kubernetes third_party/forked/golang/expansion `Expand`: `$(NAME)` becomes the mapped
 * value (kept as written when unknown), `$$` becomes `$`, anything else is literal.
 */
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

export interface ContainerCommand {
  argv: string[];
  /** Only the container's own variables; the runtime lays them over the host's. */
  env: Record<string, string>;
}

/** Undefined when the container has no command: the process runtime has no image entrypoint to fall back on. */
export function buildContainerCommand(container: Container): ContainerCommand | undefined {
  const env: Record<string, string> = {};
  for (const variable of container.env ?? []) {
    if (variable.value === undefined && variable.valueFrom) continue;
    env[variable.name] = expandVariables(variable.value ?? "", (name) => env[name]);
  }
  const lookup = (name: string) => env[name];
  const command = (container.command ?? []).map((part) => expandVariables(part, lookup));
  if (command.length === 0 || command[0] === "") return undefined;
  const args = (container.args ?? []).map((part) => expandVariables(part, lookup));
  return { argv: [...command, ...args], env };
}
