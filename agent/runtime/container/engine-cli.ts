/**
 * @module
 * The engine commands the runtime uses, over `docker` or `podman` (same subcommands and flags for
 * what edgeset needs): version, image presence and pull (with a private registry config for the
 * pull only), run (the environment through a 0600 env file that is deleted right after, so no
 * value appears on a command line), stop, remove, exec, and listing the agent's own containers.
 * Positional arguments follow `--`, so none is ever read as a flag (images are also checked
 * against the reference grammar before they get here, see image-reference.ts).
 *
 * @example
 * const cli = new EngineCli({ engine: "docker", command: "docker", env, scratchDir: "/run/edgeset-3f2a" });
 * const containers = await cli.list("io.edgeset.agent=3f2a");
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type CliResult, runCli } from "./cli.ts";
import { type InspectedContainer, parseInspect } from "./inspect.ts";
import { buildRunArgs, type RunInput, splitEnv } from "./run-args.ts";

export type Engine = "docker" | "podman";

export interface EngineCliOptions {
  engine: Engine;
  command: string;
  /** Environment of every CLI call (the agent's, without its EDGESET_* variables). */
  env: Record<string, string | undefined>;
  /** Private directory (tmpfs) for env files and registry credentials while a command needs them. */
  scratchDir: string;
}

const minutes = (n: number) => n * 60_000;

export class EngineCli {
  private readonly options: EngineCliOptions;

  constructor(options: EngineCliOptions) {
    this.options = options;
  }

  get command(): string {
    return this.options.command;
  }

  get engine(): Engine {
    return this.options.engine;
  }

  /** The environment every CLI call runs with. */
  get env(): Record<string, string | undefined> {
    return this.options.env;
  }

  call(args: string[], timeoutMs: number, extraEnv: Record<string, string> = {}): Promise<CliResult> {
    return runCli(this.options.command, args, { timeoutMs, env: { ...this.options.env, ...extraEnv } });
  }

  /** docker answers the server's version only when its daemon runs; podman has no daemon. */
  version(): Promise<CliResult> {
    return this.call(["version", "--format", this.options.engine === "docker" ? "{{.Server.Version}}" : "{{.Client.Version}}"], 15_000);
  }

  async imagePresent(image: string): Promise<boolean> {
    return (await this.call(["image", "inspect", "--format", "{{.Id}}", "--", image], minutes(1))).code === 0;
  }

  /** Pulls with `registryConfig` (a Docker config.json) written privately for this pull only. */
  async pull(image: string, registryConfig?: object): Promise<CliResult> {
    if (!registryConfig) return this.call(["pull", "--", image], minutes(30));
    return this.withScratch("pull", async (dir) => {
      writeFileSync(join(dir, "config.json"), JSON.stringify(registryConfig), { mode: 0o600 });
      const args = this.options.engine === "docker" ? ["--config", dir, "pull", "--", image] : ["pull", "--authfile", join(dir, "config.json"), "--", image];
      return this.call(args, minutes(30));
    });
  }

  run(input: Omit<RunInput, "envFile">): Promise<CliResult> {
    return this.withScratch("run", async (dir) => {
      const { file, fromCliEnv } = splitEnv(input.env);
      const envFile = file ? join(dir, "env") : undefined;
      if (envFile) writeFileSync(envFile, file, { mode: 0o600 });
      return this.call(buildRunArgs({ ...input, envFile }), minutes(5), fromCliEnv);
    });
  }

  stop(id: string, graceSeconds: number): Promise<CliResult> {
    return this.call(["stop", "--time", String(graceSeconds), "--", id], (graceSeconds + 60) * 1000);
  }

  remove(ids: string[]): Promise<CliResult> {
    return this.call(["rm", "--force", "--", ...ids], minutes(1));
  }

  exec(id: string, command: string[], timeoutMs: number): Promise<CliResult> {
    return this.call(["exec", "--", id, ...command], timeoutMs);
  }

  /** Every container (running or not) carrying the label `key=value`. */
  async list(label: string): Promise<InspectedContainer[]> {
    const ps = await this.call(["ps", "--all", "--no-trunc", "--filter", `label=${label}`, "--format", "{{.ID}}"], minutes(1));
    if (ps.code !== 0) throw new Error(ps.stderr.trim().split("\n").at(-1) || `exit code ${ps.code}`);
    const ids = ps.stdout.split("\n").map((l) => l.trim()).filter(Boolean);
    if (ids.length === 0) return [];
    const inspected = await this.call(["inspect", "--", ...ids], minutes(1));
    // A container removed between ps and inspect makes inspect fail for it; the others still print.
    return inspected.stdout.trim() ? parseInspect(inspected.stdout) : [];
  }

  private async withScratch<T>(purpose: string, work: (dir: string) => Promise<T>): Promise<T> {
    const dir = join(this.options.scratchDir, `${this.options.engine}-${purpose}-${randomBytes(6).toString("hex")}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    try {
      return await work(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
