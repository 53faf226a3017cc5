import { describe, expect, it } from "vitest";
import { decideRestart, kubeletRestartBackoff, type RestartBackoffEntry } from "./restart-backoff.ts";

const s = 1000;
const min = 60 * s;

describe("decideRestart (kubelet CrashLoopBackOff)", () => {
  it.each<{ name: string; entry?: RestartBackoffEntry; finishedAt: number; now: number; want: unknown }>([
    {
      name: "first exit restarts at once and arms 10s",
      finishedAt: 100 * s,
      now: 100 * s,
      want: { kind: "restart", entry: { backoffMs: 10 * s, lastUpdate: 100 * s } },
    },
    {
      name: "second exit waits out the 10s window from its finish",
      entry: { backoffMs: 10 * s, lastUpdate: 100 * s },
      finishedAt: 101 * s,
      now: 101 * s,
      want: { kind: "wait", until: 111 * s, backoffMs: 10 * s },
    },
    {
      name: "restart after the window doubles it",
      entry: { backoffMs: 10 * s, lastUpdate: 100 * s },
      finishedAt: 101 * s,
      now: 111 * s,
      want: { kind: "restart", entry: { backoffMs: 20 * s, lastUpdate: 111 * s } },
    },
    {
      name: "the window is capped at 5 minutes",
      entry: { backoffMs: 160 * s, lastUpdate: 0 },
      finishedAt: 1 * s,
      now: 161 * s,
      want: { kind: "restart", entry: { backoffMs: 300 * s, lastUpdate: 161 * s } },
    },
    {
      name: "at the cap it stays at 5 minutes",
      entry: { backoffMs: 300 * s, lastUpdate: 0 },
      finishedAt: 1 * s,
      now: 2 * s,
      want: { kind: "wait", until: 301 * s, backoffMs: 300 * s },
    },
    {
      name: "a container that ran over 10 minutes starts over",
      entry: { backoffMs: 300 * s, lastUpdate: 0 },
      finishedAt: 10 * min + 1,
      now: 10 * min + 1,
      want: { kind: "restart", entry: { backoffMs: 10 * s, lastUpdate: 10 * min + 1 } },
    },
    {
      name: "a container that ran exactly 10 minutes keeps its window",
      entry: { backoffMs: 40 * s, lastUpdate: 0 },
      finishedAt: 10 * min,
      now: 10 * min,
      want: { kind: "wait", until: 10 * min + 40 * s, backoffMs: 40 * s },
    },
  ])("$name", ({ entry, finishedAt, now, want }) => {
    expect(decideRestart(entry, finishedAt, now, kubeletRestartBackoff)).toEqual(want);
  });

  it("walks 10s, 20s, 40s … 5m for a container that always crashes at once", () => {
    const waits: number[] = [];
    let entry: RestartBackoffEntry | undefined;
    let now = 0;
    for (let i = 0; i < 8; i++) {
      const decision = decideRestart(entry, now, now, kubeletRestartBackoff);
      if (decision.kind === "wait") {
        waits.push(decision.backoffMs);
        now = decision.until;
        const restart = decideRestart(entry, decision.until - decision.backoffMs, now, kubeletRestartBackoff);
        if (restart.kind !== "restart") throw new Error("expected a restart after the wait");
        entry = restart.entry;
      } else {
        entry = decision.entry;
      }
    }
    expect(waits).toEqual([10, 20, 40, 80, 160, 300, 300].map((x) => x * s));
  });
});
