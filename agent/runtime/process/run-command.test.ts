import { describe, expect, it } from "vitest";
import { maxProbeOutputBytes, runCommand } from "./run-command.ts";

describe("runCommand", () => {
  it.each([
    { argv: ["sh", "-c", "echo out; echo err >&2; exit 3"], want: { exitCode: 3, timedOut: false, output: "out\nerr\n" } },
    { argv: ["true"], want: { exitCode: 0, timedOut: false, output: "" } },
    { argv: ["sh", "-c", "echo $GREETING"], env: { GREETING: "hi", PATH: process.env.PATH }, want: { exitCode: 0, timedOut: false, output: "hi\n" } },
  ])("$argv", async ({ argv, env, want }) => {
    expect(await runCommand(argv, { timeoutMs: 5000, env })).toEqual(want);
  });

  it("kills the command and what it started when the time is up", async () => {
    const started = Date.now();
    const result = await runCommand(["sh", "-c", "sleep 30 & sleep 30"], { timeoutMs: 200 });
    expect(result.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("keeps at most 10 KiB of output", async () => {
    const result = await runCommand(["sh", "-c", "head -c 50000 /dev/zero | tr '\\0' x"], { timeoutMs: 5000 });
    expect(result.output.length).toBe(maxProbeOutputBytes);
  });

  it("rejects a command that does not exist", async () => {
    await expect(runCommand(["/nonexistent/probe"], { timeoutMs: 1000 })).rejects.toThrow(/ENOENT/);
  });
});
