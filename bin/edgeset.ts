/**
 * The `edgeset` command line: what kubectl does not cover. It talks to the control plane with the
 * admin token and certificate from a kubeconfig (`--kubeconfig`, $KUBECONFIG, or
 * `.edgeset/kubeconfig` written by `npm start`), or from `--server`/`--token`/`--ca-file`.
 *
 *   edgeset token create [--ttl 1h] [--usages N] [--description TEXT]   prints only the new bootstrap token
 *   edgeset token create --role viewer|operator|metrics [--namespace a,b] [--ttl 90d] prints only the new API token
 *   edgeset token list
 *   edgeset token delete ID
 *   edgeset audit [--since 1h] [--limit N]
 *   edgeset kubeconfig                                                   prints a kubeconfig for the server
 *   edgeset install-command [--labels k=v,…] [--node-name N] [--runtime R] the install command for a new device
 *   edgeset fleet [--by LABEL] [--selector SEL]                          nodes by state, DaemonSets' rollouts
 *   edgeset rollout status|pause|resume|promote|abort DS [-n NS]         bin/commands/rollout.ts
 */
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { errorMessage, requestJson } from "../scripts/lib/http.ts";
import { readKubeconfig, renderKubeconfig, type Connection } from "../scripts/lib/kubeconfig.ts";
import { fleet } from "./commands/fleet.ts";
import { checkInstallOptions, installCommand } from "./commands/install-command.ts";
import { painter, progress } from "./commands/terminal.ts";
import { rolloutUsage, runRolloutCommand } from "./commands/rollout.ts";

const usage = `Usage: edgeset <command> [flags]

Commands:
  token create [--ttl 1h] [--usages N] [--description TEXT]
                    Create a bootstrap token for enrolling devices; prints only the token.
                    --ttl: how long it is valid (s, m, h, d; 0 = never expires; default 24h).
  token create --role viewer|operator|metrics [--namespace a,b] [--ttl 90d] [--description TEXT]
                    Create an API token with a role; prints only the token.
                    viewer: reads everything but Secrets. operator: workloads, ConfigMaps,
                    Secrets and Events in the --namespace list, node labels and annotations.
                    metrics: GET /metrics only (a Prometheus scrape config).
                    --ttl: 0 = never expires; default 90d.
  token list        List bootstrap tokens and API tokens (ids, roles, expiry; never the secrets).
  token delete ID   Revoke a bootstrap token or an API token.
  audit [--since 1h] [--limit N]
                    Print the audit log: writes, token changes and enrolments, oldest first.
                    --since: a duration back from now or an RFC 3339 time (default 1h);
                    --limit: at most this many events (default 100).
  kubeconfig        Print a kubeconfig for the control plane (admin token included).
  install-command [--labels k=v,...] [--node-name NAME] [--runtime process|docker|podman]
                  [--ttl 24h] [--usages 1] [--device-server URL]
                    Create a bootstrap token and print the command that installs and enrolls a
                    new device with it. --device-server: the address devices use (default --server).
  fleet [--by LABEL] [--selector SELECTOR]
                    Nodes by state (Ready, NotReady, Unknown, cordoned), grouped by a label value
                    with --by; every DaemonSet's desired/updated/ready/available and rollout.

${rolloutUsage}
Connection flags (default: the current context of --kubeconfig, $KUBECONFIG or .edgeset/kubeconfig):
  --server URL  --token TOKEN  --ca-file PEM  --insecure-skip-tls-verify  --kubeconfig PATH
`;

class UsageError extends Error {}

function parseDuration(text: string): number {
  const m = /^(\d+)(s|m|h|d)?$/.exec(text.trim());
  if (!m) throw new UsageError(`invalid duration ${JSON.stringify(text)}: use a number with s, m, h or d (e.g. 1h)`);
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[(m[2] ?? "s") as "s" | "m" | "h" | "d"];
  return Number(m[1]) * unit;
}

function connectionFrom(values: Record<string, string | boolean | undefined>): Connection {
  const path = (values.kubeconfig as string | undefined) ?? process.env.KUBECONFIG?.split(":")[0] ?? ".edgeset/kubeconfig";
  const base: Partial<Connection> = existsSync(path) ? readKubeconfig(path) : {};
  const server = (values.server as string | undefined) ?? process.env.EDGESET_SERVER ?? base.server;
  const token = (values.token as string | undefined) ?? process.env.EDGESET_ADMIN_TOKEN ?? base.token;
  if (!server) throw new UsageError(`no server: pass --server or a kubeconfig (${path} does not exist)`);
  if (!token) throw new UsageError("no admin token: pass --token or a kubeconfig that carries one");
  const caFile = values["ca-file"] as string | undefined;
  return {
    server,
    token,
    ca: caFile ? readFileSync(caFile, "utf8") : base.ca,
    insecureSkipTlsVerify: (values["insecure-skip-tls-verify"] as boolean | undefined) ?? base.insecureSkipTlsVerify,
  };
}

function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const row of rows) process.stdout.write(`${row.map((cell, i) => cell.padEnd(widths[i]!)).join("   ").trimEnd()}\n`);
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === "rollout") return runRolloutCommand(argv.slice(1), connectionFrom);
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      server: { type: "string" },
      token: { type: "string" },
      "ca-file": { type: "string" },
      "insecure-skip-tls-verify": { type: "boolean" },
      kubeconfig: { type: "string" },
      ttl: { type: "string" },
      usages: { type: "string" },
      description: { type: "string" },
      role: { type: "string" },
      namespace: { type: "string" },
      since: { type: "string" },
      limit: { type: "string" },
      labels: { type: "string" },
      "node-name": { type: "string" },
      runtime: { type: "string" },
      "device-server": { type: "string" },
      selector: { type: "string", short: "l" },
      by: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command, sub, arg] = positionals;
  if (values.help || !command) {
    process.stdout.write(usage);
    return values.help ? 0 : 2;
  }
  const connection = () => connectionFrom(values);
  if (command === "kubeconfig") {
    process.stdout.write(renderKubeconfig(connection()));
    return 0;
  }
  if (command === "install-command") {
    const options = { labels: values.labels, nodeName: values["node-name"], runtime: values.runtime, deviceServer: values["device-server"], ttlSeconds: values.ttl === undefined ? undefined : parseDuration(values.ttl), usages: values.usages === undefined ? undefined : Number(values.usages) };
    const invalid = checkInstallOptions(options) ?? (options.usages !== undefined && (!Number.isInteger(options.usages) || options.usages < 1) ? "--usages must be a positive integer" : undefined);
    if (invalid) throw new UsageError(invalid);
    const { command: text, note } = await installCommand(connection(), options);
    process.stderr.write(`${note}\n`);
    process.stdout.write(text);
    return 0;
  }
  if (command === "fleet") {
    process.stdout.write(await fleet(connection(), { selector: values.selector, by: values.by }, painter(process.stdout), progress()));
    return 0;
  }
  if (command === "token" && sub === "create" && values.role !== undefined) {
    const result = await requestJson(connection(), "POST", "/edgeset/v1/apitokens", {
      role: values.role,
      namespaces: values.namespace?.split(",").map((n) => n.trim()).filter(Boolean),
      ttlSeconds: values.ttl === undefined ? undefined : parseDuration(values.ttl),
      description: values.description,
    });
    if (result.status !== 201) throw new Error(errorMessage(result));
    process.stdout.write(`${(JSON.parse(result.body) as { token: string }).token}\n`);
    return 0;
  }
  if (command === "token" && sub === "create") {
    const usages = values.usages === undefined ? undefined : Number(values.usages);
    if (usages !== undefined && (!Number.isInteger(usages) || usages < 1)) throw new UsageError("--usages must be a positive integer");
    const result = await requestJson(connection(), "POST", "/edgeset/v1/bootstraptokens", {
      ttlSeconds: values.ttl === undefined ? undefined : parseDuration(values.ttl),
      usages,
      description: values.description,
    });
    if (result.status !== 201) throw new Error(errorMessage(result));
    process.stdout.write(`${(JSON.parse(result.body) as { token: string }).token}\n`);
    return 0;
  }
  if (command === "token" && sub === "list") {
    const result = await requestJson(connection(), "GET", "/edgeset/v1/bootstraptokens");
    if (result.status !== 200) throw new Error(errorMessage(result));
    const { items } = JSON.parse(result.body) as { items: { id: string; expires: string | null; usagesLeft: number | null; description: string }[] };
    printTable([["ID", "EXPIRES", "USAGES LEFT", "DESCRIPTION"], ...items.map((t) => [t.id, t.expires ?? "never", t.usagesLeft === null ? "unlimited" : String(t.usagesLeft), t.description])]);
    const api = await requestJson(connection(), "GET", "/edgeset/v1/apitokens");
    if (api.status !== 200) throw new Error(errorMessage(api));
    const tokens = (JSON.parse(api.body) as { items: { id: string; role: string; namespaces: string[] | null; expires: string | null; description: string }[] }).items;
    if (tokens.length) {
      process.stdout.write("\n");
      printTable([["API TOKEN", "ROLE", "NAMESPACES", "EXPIRES", "DESCRIPTION"], ...tokens.map((t) => [t.id, t.role, t.namespaces?.join(",") ?? "*", t.expires ?? "never", t.description])]);
    }
    return 0;
  }
  if (command === "audit") {
    const limit = values.limit === undefined ? 100 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError("--limit must be a positive integer");
    const since = values.since === undefined ? new Date(Date.now() - 3600_000) : /^\d+[smhd]?$/.test(values.since) ? new Date(Date.now() - parseDuration(values.since) * 1000) : new Date(values.since);
    if (Number.isNaN(since.getTime())) throw new UsageError(`invalid --since ${JSON.stringify(values.since)}: use a duration (1h) or an RFC 3339 time`);
    const events: Record<string, string | number>[] = [];
    let next: string | undefined = "0";
    while (next && events.length < limit) {
      const query = new URLSearchParams({ since: since.toISOString(), limit: String(Math.min(limit - events.length, 1000)), continue: next });
      const result = await requestJson(connection(), "GET", `/edgeset/v1/audit?${query}`);
      if (result.status !== 200) throw new Error(errorMessage(result));
      const page = JSON.parse(result.body) as { items: Record<string, string | number>[]; continue?: string };
      events.push(...page.items);
      next = page.continue;
    }
    const object = (e: Record<string, string | number>) => `${e.resource}${e.apiGroup ? `.${e.apiGroup}` : ""}${e.name ? `/${e.name}` : ""}`;
    printTable([["TIME", "USER", "ROLE", "VERB", "OBJECT", "NAMESPACE", "CODE"], ...events.map((e) => [String(e.time), String(e.user), String(e.role), String(e.verb), object(e), String(e.namespace), String(e.code)])]);
    return 0;
  }
  if (command === "token" && sub === "delete" && arg) {
    // API token ids are 12 characters, bootstrap token ids 6.
    const kind = arg.length === 12 ? "apitokens" : "bootstraptokens";
    const result = await requestJson(connection(), "DELETE", `/edgeset/v1/${kind}/${encodeURIComponent(arg)}`);
    if (result.status !== 204) throw new Error(errorMessage(result));
    process.stderr.write(`${kind === "apitokens" ? "API" : "bootstrap"} token ${arg} deleted\n`);
    return 0;
  }
  throw new UsageError(`unknown command: ${positionals.join(" ")}`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`edgeset: ${error.message}\n${error instanceof UsageError ? `\n${usage}` : ""}`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
