/**
 * @module
 * The stand-in engine's state file (`state.json` under its directory), shared by the CLI
 * (fake-engine.ts) and the tests (fake-engine-setup.ts): read without a lock (writes are atomic
 * renames), changed under a directory lock so concurrent CLI calls do not lose updates.
 *
 * @example
 * withState(dir, (state) => { state.images.push("busybox:1.36"); });
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface FakeContainer {
  Id: string;
  Name: string;
  Created: string;
  Image: string;
  Config: { Image: string; Labels: Record<string, string>; Env: string[]; Entrypoint?: string[]; Cmd: string[] };
  State: { Status: string; Running: boolean; Pid: number; ExitCode: number; Error: string; StartedAt: string; FinishedAt: string; OOMKilled: boolean };
  NetworkSettings: { IPAddress: string };
  HostConfig: { NetworkMode: string; Privileged: boolean; Binds: string[]; PortBindings: string[] };
  /** The whole `run` command line, for assertions. */
  RunArgs: string[];
}

export interface FakeEngineState {
  available: boolean;
  images: string[];
  /** Images whose pull fails. */
  failPull: string[];
  /** Images whose containers are created but fail to start. */
  failStart: string[];
  containers: FakeContainer[];
  /** The registry config (`--config` / `--authfile`) of each pull, by image. */
  pullAuth: Record<string, unknown>;
  /** How long a pull takes (a slow link), outside the state lock; default 0. */
  pullDelayMs?: number;
}

export function readState(dir: string): FakeEngineState {
  return JSON.parse(readFileSync(join(dir, "state.json"), "utf8")) as FakeEngineState;
}

export function writeState(dir: string, state: FakeEngineState): void {
  const temp = join(dir, `state.json.${process.pid}.${Math.random().toString(36).slice(2)}`);
  writeFileSync(temp, JSON.stringify(state, null, 1));
  renameSync(temp, join(dir, "state.json"));
}

export function withState<T>(dir: string, change: (state: FakeEngineState) => T): T {
  const lock = join(dir, "lock");
  for (let i = 0; ; i++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (i > 4000) throw new Error("fake engine: lock held too long");
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
    }
  }
  try {
    const state = readState(dir);
    const result = change(state);
    writeState(dir, state);
    return result;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
