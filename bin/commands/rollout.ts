/**
 * `edgeset rollout status|pause|resume|promote|abort DS [-n NS]`: the rollout verbs kubectl has
 * no DaemonSet form of, on the `rollout.edgeset.dev/*` annotations (docs/rollouts.md).
 *
 *   status   follow the rollout until it finishes on the nodes the strategy allows (exit 0) or
 *            fails (exit 1); a live line on a TTY, one line per change otherwise
 *   pause    rollout.edgeset.dev/paused=true: no new node is offered the revision
 *   resume   removes the pause
 *   promote  removes pause, partition and selector: the rollout continues to every node
 *   abort    back to the previous revision now (as kubectl rollout undo), and paused
 */
import { parseArgs } from "node:util";
import { errorMessage, requestJson, type HttpResult } from "../../scripts/lib/http.ts";
import type { Connection } from "../../scripts/lib/kubeconfig.ts";
import { describeRolloutProgress } from "../../src/resources/daemonset/rollout-progress.ts";
import { rolloutAnnotations } from "../../src/resources/daemonset/rollout-policy.ts";
import type { ControllerRevision, DaemonSet } from "../../src/resources/types.ts";

export const rolloutUsage = `  rollout status|pause|resume|promote|abort DS [-n NS] [--timeout 10m]
                    Follow or steer a DaemonSet rollout (docs/rollouts.md): status waits until it
                    finishes on the nodes the strategy allows; pause/resume; promote drops pause,
                    partition and selector; abort returns to the previous revision and pauses.
`;

const connectionFlags = {
  server: { type: "string" },
  token: { type: "string" },
  "ca-file": { type: "string" },
  "insecure-skip-tls-verify": { type: "boolean" },
  kubeconfig: { type: "string" },
} as const;

const pollMs = 2000;

export async function runRolloutCommand(argv: string[], connectionFrom: (values: Record<string, string | boolean | undefined>) => Connection): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...connectionFlags, namespace: { type: "string", short: "n" }, timeout: { type: "string" } },
  });
  const [verb, target] = positionals;
  const name = target?.replace(/^(daemonsets?|ds)(\.apps)?\//, "");
  if (!verb || !name || !["status", "pause", "resume", "promote", "abort"].includes(verb)) {
    process.stderr.write(`Usage: edgeset rollout status|pause|resume|promote|abort DS [-n NS]\n`);
    return 2;
  }
  const connection = connectionFrom(values);
  const path = `/apis/apps/v1/namespaces/${encodeURIComponent(values.namespace ?? "default")}/daemonsets/${encodeURIComponent(name)}`;
  const annotate = (annotations: Record<string, string | null>) =>
    expectOk(requestJson(connection, "PATCH", path, { metadata: { annotations } }, { contentType: "application/merge-patch+json" }));

  if (verb === "pause") {
    await annotate({ [rolloutAnnotations.paused]: "true" });
    process.stdout.write(`daemonset.apps/${name} paused\n`);
  } else if (verb === "resume") {
    await annotate({ [rolloutAnnotations.paused]: null });
    process.stdout.write(`daemonset.apps/${name} resumed\n`);
  } else if (verb === "promote") {
    await annotate({ [rolloutAnnotations.paused]: null, [rolloutAnnotations.partition]: null, [rolloutAnnotations.selector]: null });
    process.stdout.write(`daemonset.apps/${name} promoted: rolling out to every node\n`);
  } else if (verb === "abort") {
    await abort(connection, path, name, values.namespace ?? "default");
  } else {
    return follow(connection, path, parseTimeout(values.timeout));
  }
  return 0;
}

async function expectOk(pending: Promise<HttpResult>): Promise<string> {
  const result = await pending;
  if (result.status < 200 || result.status > 299) throw new Error(errorMessage(result));
  return result.body;
}

function parseTimeout(text: string | undefined): number {
  if (text === undefined) return 0;
  const m = /^(\d+)(s|m|h)?$/.exec(text);
  if (!m) throw new Error(`invalid --timeout ${JSON.stringify(text)}: use e.g. 90s, 10m`);
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? "s") as "s" | "m" | "h"];
}

/** Polls until done or failed; a TTY gets one line rewritten in place. */
async function follow(connection: Connection, path: string, timeoutMs: number): Promise<number> {
  const tty = process.stdout.isTTY === true;
  const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Number.POSITIVE_INFINITY;
  let last = "";
  for (;;) {
    const ds = JSON.parse(await expectOk(requestJson(connection, "GET", path))) as DaemonSet;
    const progress = describeRolloutProgress(ds);
    if (progress.line !== last) {
      process.stdout.write(tty ? `\r\x1b[2K${progress.line}` : `${progress.line}\n`);
      last = progress.line;
    }
    if (progress.done) {
      process.stdout.write(`${tty ? "\n" : ""}daemon set "${ds.metadata.name}" ${progress.failed ? "rollout failed" : "successfully rolled out"}\n`);
      return progress.failed ? 1 : 0;
    }
    if (Date.now() > deadline) {
      process.stdout.write(`${tty ? "\n" : ""}timed out waiting for the rollout\n`);
      return 1;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** The previous revision's template back (kubectl rollout undo's patch), and paused so it holds. */
async function abort(connection: Connection, path: string, name: string, namespace: string): Promise<void> {
  const ds = JSON.parse(await expectOk(requestJson(connection, "GET", path))) as DaemonSet;
  const list = JSON.parse(await expectOk(requestJson(connection, "GET", `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/controllerrevisions`))) as { items: ControllerRevision[] };
  const owned = list.items.filter((r) => r.metadata.ownerReferences?.some((o) => o.uid === ds.metadata.uid)).sort((a, b) => b.revision - a.revision);
  const previous = owned[1];
  if (!previous) throw new Error(`daemonset.apps/${name} has no previous revision to return to`);
  const patch = { ...(previous.data as Record<string, unknown>), metadata: { annotations: { [rolloutAnnotations.paused]: "true" } } };
  await expectOk(requestJson(connection, "PATCH", path, patch, { contentType: "application/strategic-merge-patch+json" }));
  process.stdout.write(`daemonset.apps/${name} aborted: back to revision ${previous.revision}, paused\n`);
}
