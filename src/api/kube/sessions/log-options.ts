/**
 * @module
 * The pods/log query (Kubernetes `PodLogOptions`) validated as the apiserver validates it
 * (`ValidatePodLogOptions`): every problem is a 400 naming the parameter.
 */
import type { SessionOffer } from "../../../protocol/agent.ts";
import type { Pod } from "../../../resources/types.ts";
import { ApiError } from "../../errors.ts";

export type LogOptions = NonNullable<SessionOffer["log"]>;

type Query = (name: string) => string | undefined;

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

function integer(query: Query, name: string, min: number): number | undefined {
  const raw = query(name);
  if (raw === undefined) return undefined;
  const value = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= min)) throw bad(name, raw, `must be an integer of at least ${min}`);
  return value;
}

/** The container of a log or exec request: named, or the pod's default, or the only one. */
export function chooseContainer(pod: Pod, named: string | undefined): string {
  const names = (pod.spec?.containers ?? []).map((c) => c.name);
  const wanted = named || pod.metadata?.annotations?.["kubectl.kubernetes.io/default-container"];
  if (wanted) {
    if (!names.includes(wanted)) throw ApiError.badRequest(`container ${wanted} is not valid for pod ${pod.metadata?.name}`);
    return wanted;
  }
  if (names.length === 1) return names[0]!;
  throw ApiError.badRequest(`a container name must be specified for pod ${pod.metadata?.name}, choose one of: [${names.join(" ")}]`);
}

export function parseLogOptions(query: Query, pod: Pod, now: number): LogOptions {
  const options: LogOptions = {
    container: chooseContainer(pod, query("container")),
    follow: flag(query, "follow"),
    previous: flag(query, "previous"),
    timestamps: flag(query, "timestamps"),
  };
  const sinceSeconds = integer(query, "sinceSeconds", 1);
  const sinceTimeText = query("sinceTime");
  if (sinceSeconds !== undefined && sinceTimeText !== undefined) throw bad("sinceSeconds", String(sinceSeconds), "at most one of sinceTime or sinceSeconds may be specified");
  if (sinceSeconds !== undefined) options.sinceTime = now - sinceSeconds * 1000;
  if (sinceTimeText !== undefined) {
    const time = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/.test(sinceTimeText) ? Date.parse(sinceTimeText) : NaN;
    if (Number.isNaN(time)) throw bad("sinceTime", sinceTimeText, "must be an RFC 3339 time");
    options.sinceTime = time;
  }
  const tailLines = integer(query, "tailLines", 0);
  if (tailLines !== undefined) options.tailLines = tailLines;
  const limitBytes = integer(query, "limitBytes", 1);
  if (limitBytes !== undefined) options.limitBytes = limitBytes;
  return options;
}
