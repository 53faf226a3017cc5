/**
 * @module
 * The pods/exec query (Kubernetes `PodExecOptions`) validated before anything is recorded:
 * `?command=sh&command=-c&command=…&container=c&stdin=true&stdout=true&stderr=true&tty=false`.
 * Every problem is a 400 naming the parameter, as the apiserver and kubelet refuse them
 * (`kubelet/cri/streaming/remotecommand.NewOptions`).
 */
import type { ExecOffer } from "../../../protocol/agent.ts";
import type { Pod } from "../../../resources/types.ts";
import { ApiError } from "../../errors.ts";
import { chooseContainer } from "./log-options.ts";

/** Bounds on what one exec carries to the device (in its session offer). */
export const execLimits = { args: 256, argBytes: 16 * 1024, totalBytes: 64 * 1024 };

type Query = (name: string) => string | undefined;
type Queries = (name: string) => string[];

function bad(field: string, value: string, why: string): ApiError {
  return new ApiError(400, "BadRequest", `invalid value for query parameter ${field}: ${JSON.stringify(value.slice(0, 64))}: ${why}`, {
    causes: [{ reason: "FieldValueInvalid", message: `Invalid value: ${JSON.stringify(value.slice(0, 64))}: ${why}`, field }],
  });
}

function flag(query: Query, name: string): boolean {
  const raw = query(name);
  if (raw === undefined || raw === "" || raw === "false" || raw === "0") return false;
  if (raw === "true" || raw === "1") return true;
  throw bad(name, raw, "must be true or false");
}

function parseCommand(values: string[]): string[] {
  if (values.length === 0 || values.every((v) => v === "")) {
    throw new ApiError(400, "BadRequest", "you must specify at least one command for the container", { causes: [{ reason: "FieldValueRequired", message: "Required value", field: "command" }] });
  }
  if (values.length > execLimits.args) throw bad("command", values.slice(0, 3).join(" "), `at most ${execLimits.args} arguments`);
  let total = 0;
  for (const value of values) {
    total += value.length;
    if (value.length > execLimits.argBytes) throw bad("command", value, `an argument may hold at most ${execLimits.argBytes} characters`);
    if (value.includes("\0")) throw bad("command", value, "must not contain NUL");
  }
  if (total > execLimits.totalBytes) throw bad("command", values[0]!, `the command may hold at most ${execLimits.totalBytes} characters in all`);
  return values;
}

export function parseExecOptions(query: Query, queries: Queries, pod: Pod, protocol: string): ExecOffer {
  return checkStreams({
    container: chooseContainer(pod, query("container")),
    command: parseCommand(queries("command")),
    ...streamFlags(query),
    protocol,
  });
}

/**
 * The pods/attach query (`PodAttachOptions`: container, stdin, stdout, stderr, tty): the
 * container's output from now on. stdin and tty need a container started with its stdin open
 * (`spec.containers[].stdin`, `tty`), which edgeset's runtimes do not do: they are refused,
 * naming the field, rather than silently dropped.
 */
export function parseAttachOptions(query: Query, pod: Pod, protocol: string): ExecOffer {
  const container = chooseContainer(pod, query("container"));
  const flags = streamFlags(query);
  const why = "edgeset's runtimes do not keep a container's stdin or terminal open for attaching; attach without -i and -t (the output only), or use kubectl exec -it";
  if (flags.tty) throw bad("tty", "true", why);
  if (flags.stdin) throw bad("stdin", "true", why);
  return checkStreams({ container, command: [], ...flags, protocol });
}

function streamFlags(query: Query): Pick<ExecOffer, "stdin" | "stdout" | "stderr" | "tty"> {
  return {
    stdin: flag(query, "stdin"),
    stdout: flag(query, "stdout"),
    stderr: flag(query, "stderr"),
    tty: flag(query, "tty"),
  };
}

function checkStreams(options: ExecOffer): ExecOffer {
  if (!options.stdin && !options.stdout && !options.stderr) {
    throw new ApiError(400, "BadRequest", "you must specify at least 1 of stdin, stdout, stderr", { causes: [{ reason: "FieldValueRequired", message: "Required value", field: "stdout" }] });
  }
  if (options.tty && options.stderr) throw bad("stderr", "true", "stderr must be false when tty is true (a terminal merges the two)");
  return options;
}
