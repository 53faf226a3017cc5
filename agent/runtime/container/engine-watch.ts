/**
 * @module
 * Keeps an engine runtime's view fresh without polling hard: the engine's event stream
 * (`docker events` / `podman events`, filtered to the agent's label; one long-lived process,
 * restarted 5 s after it dies) triggers a relist on any event (debounced), and a relist every
 * minute catches what the stream missed. Started while container pods exist, stopped otherwise.
 *
 * @example
 * const watch = new EngineWatch({ command: "docker", filters: ["--filter", "label=io.edgeset.agent=3f2a"], env, onEvent: () => runtime.relist() });
 * watch.start();
 */
import { type ChildProcess, spawn } from "node:child_process";

export interface EngineWatchOptions {
  command: string;
  filters: string[];
  env: Record<string, string | undefined>;
  /** Something may have changed: list again. */
  onEvent: () => void;
  /** Default 60 s. */
  relistIntervalMs?: number;
  debounceMs?: number;
}

export class EngineWatch {
  private readonly options: EngineWatchOptions;
  private child?: ChildProcess;
  private restartTimer?: ReturnType<typeof setTimeout>;
  private interval?: ReturnType<typeof setInterval>;
  private debounce?: ReturnType<typeof setTimeout>;
  private running = false;

  constructor(options: EngineWatchOptions) {
    this.options = options;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.interval = setInterval(() => this.options.onEvent(), this.options.relistIntervalMs ?? 60_000);
    this.interval.unref();
    this.spawnEvents();
  }

  stop(): void {
    this.running = false;
    clearInterval(this.interval);
    clearTimeout(this.restartTimer);
    clearTimeout(this.debounce);
    this.interval = this.restartTimer = this.debounce = undefined;
    const child = this.child;
    this.child = undefined;
    child?.kill();
  }

  private spawnEvents(): void {
    let child: ChildProcess;
    try {
      child = spawn(this.options.command, ["events", ...this.options.filters, "--format", "{{json .}}"], { env: this.options.env, stdio: ["ignore", "pipe", "ignore"] });
    } catch {
      return;
    }
    this.child = child;
    child.on("error", () => {});
    child.stdout?.on("data", () => this.eventSeen());
    child.once("exit", () => {
      if (this.child !== child || !this.running) return;
      this.child = undefined;
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        if (!this.running) return;
        this.options.onEvent();
        this.spawnEvents();
      }, 5000);
      this.restartTimer.unref();
    });
    child.unref();
    (child.stdout as unknown as { unref?: () => void } | null)?.unref?.();
  }

  private eventSeen(): void {
    if (this.debounce) return;
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.options.onEvent();
    }, this.options.debounceMs ?? 100);
    this.debounce.unref();
  }
}
