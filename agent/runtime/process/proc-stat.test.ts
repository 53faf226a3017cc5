import { describe, expect, it } from "vitest";
import { isSameProcess, parseProcStat, readBootId, readProcStat } from "./proc-stat.ts";

const tail = "S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 987654 20 21";

describe("parseProcStat", () => {
  it.each([
    { name: "plain command", text: `123 (sleep) ${tail}`, want: { state: "S", startTicks: "987654" } },
    { name: "command with spaces and parens", text: `123 (my (odd) cmd) ${tail}`, want: { state: "S", startTicks: "987654" } },
    { name: "zombie", text: `123 (sh) Z ${tail.slice(2)}`, want: { state: "Z", startTicks: "987654" } },
    { name: "garbage", text: "nonsense", want: undefined },
    { name: "truncated", text: "123 (sh) S 1 2", want: undefined },
  ])("$name", ({ text, want }) => {
    expect(parseProcStat(text)).toEqual(want);
  });
});

describe.runIf(process.platform === "linux")("on Linux", () => {
  it("reads this process and recognises it", () => {
    const stat = readProcStat(process.pid);
    expect(stat?.state).toBe("R");
    expect(isSameProcess(process.pid, stat?.startTicks)).toBe(true);
  });

  it.each([
    { name: "another start time", ticks: "1", boot: readBootId() },
    { name: "no start time", ticks: undefined, boot: readBootId() },
    { name: "another boot", ticks: readProcStat(process.pid)?.startTicks, boot: "00000000-0000-0000-0000-000000000000" },
  ])("does not recognise it with $name", ({ ticks, boot }) => {
    expect(isSameProcess(process.pid, ticks, boot)).toBe(false);
  });
});
