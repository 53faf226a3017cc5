import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SyncScheduler } from "./sync-scheduler.ts";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function setup(options: { delay?: number; wanted?: () => boolean; syncMs?: number } = {}) {
  const runs: number[] = [];
  const scheduler = new SyncScheduler({
    run: async () => {
      runs.push(Date.now());
      if (options.syncMs) await new Promise((resolve) => setTimeout(resolve, options.syncMs));
      return options.delay ?? 10_000;
    },
    promptWanted: options.wanted ?? (() => true),
    debounceMs: 300,
  });
  return { runs, scheduler, t0: Date.now() };
}

describe("SyncScheduler", () => {
  it("syncs at once, then after the delay each sync asks for", async () => {
    const { runs, scheduler, t0 } = setup();
    scheduler.start();
    await vi.advanceTimersByTimeAsync(25_000);
    expect(runs.map((t) => t - t0)).toEqual([0, 10_000, 20_000]);
    await scheduler.stop();
  });

  it("debounces a burst of local changes into one prompt sync", async () => {
    const { runs, scheduler, t0 } = setup();
    scheduler.start();
    await vi.advanceTimersByTimeAsync(1000);
    scheduler.requestPrompt();
    await vi.advanceTimersByTimeAsync(100);
    scheduler.requestPrompt();
    scheduler.requestPrompt();
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs.map((t) => t - t0)).toEqual([0, 1300]);
    // The regular interval restarts from the prompt sync.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs.map((t) => t - t0)).toEqual([0, 1300, 11_300]);
    await scheduler.stop();
  });

  it("tells what it has armed: the sync in flight, a pending prompt, the next regular delay", async () => {
    const { scheduler } = setup({ syncMs: 500, delay: 7000 });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(scheduler.state()).toEqual({ inFlight: true, promptPending: false });
    await vi.advanceTimersByTimeAsync(500);
    expect(scheduler.state()).toEqual({ inFlight: false, promptPending: false, regularDelayMs: 7000 });
    scheduler.requestPrompt();
    expect(scheduler.state()).toEqual({ inFlight: false, promptPending: true, regularDelayMs: 7000 });
    await scheduler.stop();
  });

  it("skips the prompt sync when there is nothing new", async () => {
    const { runs, scheduler } = setup({ wanted: () => false });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(1000);
    scheduler.requestPrompt();
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs).toHaveLength(1);
    await scheduler.stop();
  });

  it("looks again after a sync in flight when something changed meanwhile", async () => {
    const { runs, scheduler, t0 } = setup({ syncMs: 500 });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(100);
    scheduler.requestPrompt();
    await vi.advanceTimersByTimeAsync(2000);
    expect(runs.map((t) => t - t0)).toEqual([0, 800]);
    await scheduler.stop();
  });

  it("stops syncing once stopped", async () => {
    const { runs, scheduler } = setup();
    scheduler.start();
    await vi.advanceTimersByTimeAsync(1);
    await scheduler.stop();
    scheduler.requestPrompt();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runs).toHaveLength(1);
  });
});
