/**
 * @module
 * Installs the stand-in engine CLI (fake-engine.ts) as an executable `docker` or `podman` in a
 * directory, and reads and changes its state from tests.
 *
 * @example
 * const engine = installFakeEngine(tmp, "docker", { images: ["busybox:1.36"] });
 * new ContainerRuntime({ engine: "docker", command: engine.command, env: engine.env, … });
 * engine.calls()          // [["version", "--format", "{{.Server.Version}}"], …]
 * engine.exitContainer(id, 1)
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type FakeContainer, type FakeEngineState, readState, withState, writeState } from "./fake-engine-state.ts";

export interface FakeEngine {
  /** Path of the executable. */
  command: string;
  /** The environment the CLI needs (FAKE_ENGINE_DIR, PATH). */
  env: Record<string, string | undefined>;
  calls(): string[][];
  state(): FakeEngineState;
  update(change: (state: FakeEngineState) => void): void;
  containers(): FakeContainer[];
  exitContainer(id: string, exitCode: number, oomKilled?: boolean): void;
}

export function installFakeEngine(dir: string, name: "docker" | "podman", initial: Partial<FakeEngineState> = {}): FakeEngine {
  const home = join(dir, `fake-${name}`);
  mkdirSync(home, { recursive: true });
  writeState(home, { available: true, images: [], failPull: [], failStart: [], containers: [], pullAuth: {}, ...initial });
  const command = join(home, name);
  const script = join(import.meta.dirname, "fake-engine.ts");
  // The state directory is baked in, so the stand-in also works for an agent started with any environment.
  writeFileSync(command, `#!/bin/sh\nFAKE_ENGINE_DIR="${home}" exec "${process.execPath}" --no-warnings "${script}" "$@"\n`);
  chmodSync(command, 0o755);
  const read = () => readState(home);
  const engine: FakeEngine = {
    command,
    env: { PATH: process.env.PATH, FAKE_ENGINE_DIR: home },
    calls: () => (existsSync(join(home, "calls.jsonl")) ? readFileSync(join(home, "calls.jsonl"), "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as string[]) : []),
    state: read,
    update: (change) => withState(home, change),
    containers: () => read().containers,
    exitContainer: (id, exitCode, oomKilled = false) =>
      engine.update((s) => {
        const c = s.containers.find((x) => x.Id === id);
        if (c) Object.assign(c.State, { Status: "exited", Running: false, Pid: 0, ExitCode: exitCode, OOMKilled: oomKilled, FinishedAt: new Date().toISOString() });
      }),
  };
  return engine;
}
