/**
 * @module
 * The agent's command line: `node agent/main.ts --server URL --bootstrap-token T …` (see
 * `--help`). Wires flags, the state dir, the secrets dir (tmpfs), ConfigMaps and Secrets, the
 * volumes, the runtimes (process, docker, podman), the static pod directory and the HTTP client
 * into an Agent, and turns SIGTERM/SIGINT into a clean exit 0 (the workloads keep running unless
 * `--stop-pods-on-exit`, so upgrading the agent does not restart them).
 *
 * @example
 * node agent/main.ts --server https://edgeset.example.com --bootstrap-token abc.def --labels zone=a
 */
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { assembleAgent } from "./assemble.ts";
import { parseFlags, usage } from "./cli/flags.ts";
import { createLogger } from "./log.ts";
import { runDeferCommand } from "./defer/defer-command.ts";

function exitWithUsageError(message: string): never {
  process.stderr.write(`edgeset-agent: ${message.split("\n").join("\nedgeset-agent: ")}\nRun with --help for usage.\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  if (process.argv[2] === "defer") {
    process.exitCode = runDeferCommand(process.argv.slice(3), process.env, Date.now(), (s) => process.stdout.write(s), (s) => process.stderr.write(s));
    return;
  }
  const parsed = parseFlags(process.argv.slice(2), process.env, hostname());
  if (parsed.kind === "help") {
    process.stdout.write(usage);
    return;
  }
  if (parsed.kind === "error") exitWithUsageError(parsed.message);
  const config = parsed.config;

  let ca: string | undefined;
  if (config.caFile) {
    try {
      ca = readFileSync(config.caFile, "utf8");
    } catch (error) {
      exitWithUsageError(`--ca-file: cannot read ${config.caFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }

  const log = createLogger();
  const { agent } = assembleAgent(config, { log, ca });

  // Handlers go in before the start, so a signal that arrives while the saved pods are being
  // started still ends in a clean stop instead of Node's default exit.
  let stopping = false;
  const started = agent.start();
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      log(`received ${signal} again; exiting now`);
      process.exit(1);
    }
    stopping = true;
    log(`received ${signal}; stopping${config.stopPodsOnExit ? " the pods and" : ""} the agent`);
    started
      .then(() => agent.stop(config.stopPodsOnExit))
      .then(
        () => process.exit(0),
        (error: Error) => {
          log(`stopping failed: ${error.message}`);
          process.exit(1);
        },
      );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);

  try {
    await started;
  } catch (error) {
    log(`cannot start: ${(error as Error).message}`);
    process.exit(1);
  }
}

main().catch((error: Error) => {
  process.stderr.write(`edgeset-agent: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
