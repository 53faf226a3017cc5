/**
 * `npm test`'s test step: the end-to-end files (one at a time: each starts the real Worker and real
 * agents) in one vitest process, and the unit and Worker tiers in another, side by side, so the
 * short tiers run while the long one does. Each process's output is prefixed with its tier; the
 * step fails if either does.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

// The package exports no path to its CLI; node_modules/.bin/vitest points at it.
const vitest = join(dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs");

function run(label: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [vitest, "run", ...args, ...process.argv.slice(2)], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? "1" : "0" } });
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

const [e2e, rest] = await Promise.all([run("e2e", ["--project", "e2e"]), run("unit+worker", ["--project", "unit", "--project", "worker"])]);
console.log(`\ntests: e2e ${e2e === 0 ? "passed" : "FAILED"}, unit and worker ${rest === 0 ? "passed" : "FAILED"}`);
process.exit(e2e === 0 && rest === 0 ? 0 : 1);
