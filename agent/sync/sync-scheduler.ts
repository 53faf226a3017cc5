/**
 * @module
 * When syncs run: one at a time, the next regular one after the delay the last one asked for,
 * and a prompt one ~300 ms after a local change (debounced, so a burst of changes makes one
 * request) when `promptWanted` says there is something new to tell. A change while a sync is in
 * flight is looked at again once it ends.
 *
 * @example
 * const scheduler = new SyncScheduler({ run: () => agent.syncOnce(), promptWanted: () => bodyChanged(), debounceMs: 300 });
 * scheduler.start();
 * runtime.onChange(() => scheduler.requestPrompt());
 */

export interface SyncSchedulerOptions {
  /** One sync; resolves to the delay before the next regular one. Must not reject. */
  run: () => Promise<number>;
  /** Asked when the debounce ends: is a prompt sync worth it (state changed, not backing off)? */
  promptWanted: () => boolean;
  debounceMs: number;
}

export interface SyncScheduleState {
  inFlight: boolean;
  promptPending: boolean;
  /** The delay the armed regular sync was given (absent while none is armed). */
  regularDelayMs?: number;
}

export class SyncScheduler {
  private readonly options: SyncSchedulerOptions;
  private regularTimer?: ReturnType<typeof setTimeout>;
  private promptTimer?: ReturnType<typeof setTimeout>;
  private inFlight?: Promise<void>;
  private changedDuringSync = false;
  private stopped = false;
  private regularDelayMs?: number;

  constructor(options: SyncSchedulerOptions) {
    this.options = options;
  }

  start(delayMs = 0): void {
    this.scheduleRegular(delayMs);
  }

  requestPrompt(): void {
    if (this.stopped) return;
    if (this.inFlight) {
      this.changedDuringSync = true;
      return;
    }
    if (this.promptTimer) return;
    this.promptTimer = setTimeout(() => {
      this.promptTimer = undefined;
      if (this.options.promptWanted()) this.runNow();
    }, this.options.debounceMs);
  }

  /** What is armed now: a sync in flight, a prompt pending, the delay of the next regular sync. */
  state(): SyncScheduleState {
    return { inFlight: this.inFlight !== undefined, promptPending: this.promptTimer !== undefined, ...(this.regularDelayMs === undefined ? {} : { regularDelayMs: this.regularDelayMs }) };
  }

  /** Cancels the timers and waits for a sync in flight to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.regularTimer);
    clearTimeout(this.promptTimer);
    await this.inFlight;
  }

  private scheduleRegular(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.regularTimer);
    this.regularDelayMs = delayMs;
    this.regularTimer = setTimeout(() => this.runNow(), delayMs);
  }

  private runNow(): void {
    if (this.stopped) return;
    if (this.inFlight) {
      this.changedDuringSync = true;
      return;
    }
    clearTimeout(this.regularTimer);
    this.regularDelayMs = undefined;
    clearTimeout(this.promptTimer);
    this.promptTimer = undefined;
    this.changedDuringSync = false;
    this.inFlight = this.options.run().then((delayMs) => {
      this.inFlight = undefined;
      if (this.stopped) return;
      this.scheduleRegular(delayMs);
      if (this.changedDuringSync) {
        this.changedDuringSync = false;
        this.requestPrompt();
      }
    });
  }
}
