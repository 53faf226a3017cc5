/**
 * @module
 * `edgeset-agent defer --for 30m [--reason TEXT] [--state-dir DIR]` and `edgeset-agent defer
 * --clear`: writes or removes the deferral file the running agent reports on its next sync.
 *
 * @example
 * npm run agent -- defer --for 30m --reason "vehicle in motion" --state-dir /var/lib/edgeset
 */
import { parseArgs } from "node:util";
import { defaultStateDir } from "../cli/flags.ts";
import { clearDeferral, parseDeferDuration, writeDeferral } from "./deferral.ts";

export const deferUsage = "Usage: edgeset-agent defer --for DURATION [--reason TEXT] [--state-dir DIR] | defer --clear [--state-dir DIR]\n";

/** Returns the exit code; output goes to `out` / `err`. */
export function runDeferCommand(args: string[], env: Record<string, string | undefined>, now: number, out: (s: string) => void, err: (s: string) => void): number {
  let values: { for?: string; reason?: string; "state-dir"?: string; clear?: boolean };
  try {
    ({ values } = parseArgs({ args, options: { for: { type: "string" }, reason: { type: "string" }, "state-dir": { type: "string" }, clear: { type: "boolean" } }, strict: true }));
  } catch (error) {
    err(`edgeset-agent defer: ${(error as Error).message}\n${deferUsage}`);
    return 2;
  }
  const stateDir = values["state-dir"] ?? env.EDGESET_STATE_DIR ?? defaultStateDir;
  if (values.clear) {
    clearDeferral(stateDir);
    out("deferral cleared; updates resume on the next sync\n");
    return 0;
  }
  if (!values.for) {
    err(`edgeset-agent defer: --for is required\n${deferUsage}`);
    return 2;
  }
  try {
    const deferral = writeDeferral(stateDir, parseDeferDuration(values.for), values.reason, now);
    out(`updates deferred until ${new Date(deferral.until).toISOString()} (reported on the next sync)\n`);
    return 0;
  } catch (error) {
    err(`edgeset-agent defer: ${(error as Error).message}\n`);
    return 2;
  }
}
