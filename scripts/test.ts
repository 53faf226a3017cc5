/**
 * `npm test`'s test step: the end-to-end files (one at a time per lane: each starts the real Worker
 * and real agents) in one vitest process, and the unit and Worker tiers in another, side by side,
 * so the short tiers run while the long one does; a second e2e lane then takes their place. Each
 * process's output is prefixed with its tier; the step fails if any does, and then ends with the
 * failed tests of every lane (file and test name), read from each lane's JSON report in
 * .tmp/test-results/.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { failuresIn } from "./lib/test-report.ts";

// The package exports no path to its CLI; node_modules/.bin/vitest points at it.
const vitest = join(dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs");

const resultsDir = join(".tmp", "test-results");
const reportOf = (label: string) => join(resultsDir, `${label}.json`);
rmSync(resultsDir, { recursive: true, force: true });

function run(label: string, args: string[]): Promise<number> {
  const reporters = ["--reporter=default", "--reporter=json", `--outputFile.json=${reportOf(label)}`];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [vitest, "run", ...args, ...reporters, ...process.argv.slice(2)], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? "1" : "0" } });
    const prefix = (stream: NodeJS.ReadableStream, out: NodeJS.WriteStream) => {
      let rest = "";
      stream.on("data", (chunk: Buffer) => {
        const lines = (rest + chunk.toString()).split("\n");
        rest = lines.pop() ?? "";
        for (const line of lines) out.write(`[${label}] ${line}\n`);
      });
      stream.on("end", () => rest && out.write(`[${label}] ${rest}\n`));
    };
    prefix(child.stdout!, process.stdout);
    prefix(child.stderr!, process.stderr);
    child.on("close", (code) => resolve(code ?? 1));
  });
}

/**
 * End-to-end files that wait for the unit and Worker tiers to finish and then run in a second lane
 * beside the first: the two e2e lanes and the short tiers then end at about the same time on two
 * cores (measured 2026-12-03: e2e 530 s one file at a time, unit+worker 204 s). Files chosen for
 * their length, not their content; any e2e file may run in either lane.
 */
const secondLane = [
  "test/e2e/rollout-rolling.test.ts",
  "test/e2e/placement-fleet.test.ts",
  "test/e2e/foundation.test.ts",
  "test/e2e/agent-install.test.ts",
  "test/e2e/cli.test.ts",
  "test/e2e/kubectl-logs.test.ts",
  "test/e2e/kubectl-exec.test.ts",
  "test/e2e/rollout-prestage.test.ts",
];

const firstLane = run("e2e", ["--project", "e2e", ...secondLane.flatMap((file) => ["--exclude", file])]);
const rest = await run("unit+worker", ["--project", "unit", "--project", "worker"]);
const second = await run("e2e-2", ["--project", "e2e", ...secondLane]);
const first = await firstLane;
const verdict = (code: number) => (code === 0 ? "passed" : "FAILED");
console.log(`\ntests: e2e ${verdict(first)}, e2e second lane ${verdict(second)}, unit and worker ${verdict(rest)}`);
for (const [label, code] of [["e2e", first], ["e2e-2", second], ["unit+worker", rest]] as const) {
  if (code === 0) continue;
  const report = reportOf(label);
  const failures = existsSync(report) ? failuresIn(readFileSync(report, "utf8"), process.cwd()) : [];
  console.log(`\n[${label}] failed (exit ${code}):${failures.length === 0 ? ` no failed test in ${existsSync(report) ? report : "its report (none written)"}; see its output above` : ""}`);
  for (const failure of failures) console.log(`  ✗ ${failure.file} > ${failure.test}`);
}
process.exit(first === 0 && second === 0 && rest === 0 ? 0 : 1);
