/**
 * @module
 * A stand-in for the `docker` / `podman` CLI, for tests on machines without a container engine:
 * it appends every invocation's arguments to `calls.jsonl` and keeps containers and images in
 * `state.json` (both under `$FAKE_ENGINE_DIR`), answering the subcommands the agent uses
 * (`version`, `image inspect`, `pull`, `run`, `ps`, `inspect`, `stop`, `rm`, `exec`, `events`) with
 * the same output shapes. `exec` really runs the command on the host, so exec probes work. No
 * process runs for a "container": tests end one with `exitContainer` (see fake-engine-setup.ts).
 *
 * Run through the wrapper that `installFakeEngine` writes, e.g. `docker run --detach … busybox`.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type FakeEngineState, readState, withState as withEngineState } from "./fake-engine-state.ts";

const zeroTime = "0001-01-01T00:00:00Z";
const dir = process.env.FAKE_ENGINE_DIR ?? ".";

function withState<T>(fn: (state: FakeEngineState) => T): T {
  return withEngineState(dir, fn);
}

const valued = new Set(["--name", "--restart", "--label", "--network", "--pid", "--user", "--cpus", "--memory", "--cpu-shares", "--publish", "--workdir", "--env-file", "--env", "--volume", "--entrypoint", "--config", "--authfile", "--format", "--filter", "--time", "--pull"]);

const booleans = new Set(["--detach", "--privileged", "--read-only", "--all", "--no-trunc", "--force"]);

/** Like the real CLIs (cobra): flags until the first positional or `--`; an unknown flag is an error, so a spec value read as one shows. */
function parseFlags(args: string[]): { flags: Array<[string, string]>; rest: string[] } {
  const flags: Array<[string, string]> = [];
  let i = 0;
  for (; i < args.length && args[i].startsWith("-"); i++) {
    if (args[i] === "--") {
      i++;
      break;
    }
    if (valued.has(args[i])) flags.push([args[i], args[++i]]);
    else if (booleans.has(args[i])) flags.push([args[i], "true"]);
    else fail(125, `unknown flag: ${args[i]}`);
  }
  return { flags, rest: args.slice(i) };
}

function out(text: string): void {
  process.stdout.write(text);
}

function fail(code: number, message: string): never {
  process.stderr.write(`Error response from daemon: ${message}\n`);
  process.exit(code);
}

function run(args: string[]): void {
  const { flags, rest } = parseFlags(args);
  const get = (name: string) => flags.filter(([k]) => k === name).map(([, v]) => v);
  const [image, ...cmd] = rest;
  const name = get("--name")[0] ?? randomBytes(4).toString("hex");
  const env = get("--env").map((e) => (e.includes("=") ? e : `${e}=${process.env[e] ?? ""}`));
  for (const file of get("--env-file")) env.push(...readFileSync(file, "utf8").split("\n").filter(Boolean));
  const labels = Object.fromEntries(get("--label").map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
  const id = randomBytes(32).toString("hex");
  const created = withState((state) => {
    if (state.containers.some((c) => c.Name === `/${name}`)) return "conflict";
    if (!state.images.includes(image)) return "noimage";
    const now = new Date().toISOString();
    const failing = state.failStart.includes(image);
    state.containers.push({
      Id: id,
      Name: `/${name}`,
      Created: now,
      Image: `sha256:${Buffer.from(image).toString("hex").padEnd(64, "0").slice(0, 64)}`,
      Config: { Image: image, Labels: labels, Env: env, Entrypoint: get("--entrypoint"), Cmd: cmd },
      State: failing
        ? { Status: "created", Running: false, Pid: 0, ExitCode: 127, Error: "exec: \"nope\": executable file not found in $PATH", StartedAt: zeroTime, FinishedAt: zeroTime, OOMKilled: false }
        : { Status: "running", Running: true, Pid: 10_000 + Math.floor(Math.random() * 50_000), ExitCode: 0, Error: "", StartedAt: now, FinishedAt: zeroTime, OOMKilled: false },
      NetworkSettings: { IPAddress: get("--network")[0] === "host" ? "" : "172.17.0.2" },
      HostConfig: { NetworkMode: get("--network")[0] ?? "bridge", Privileged: get("--privileged").length > 0, Binds: get("--volume"), PortBindings: get("--publish") },
      RunArgs: ["run", ...args],
    });
    return failing ? "failstart" : "ok";
  });
  if (created === "conflict") fail(125, `Conflict. The container name "/${name}" is already in use`);
  if (created === "noimage") fail(125, `No such image: ${image}`);
  if (created === "failstart") fail(127, 'failed to create task for container: exec: "nope": executable file not found in $PATH: unknown');
  out(`${id}\n`);
}

function main(): void {
  const argv = process.argv.slice(2);
  appendFileSync(join(dir, "calls.jsonl"), `${JSON.stringify(argv)}\n`);
  const { flags: globals, rest } = parseFlags(argv);
  const [command, ...args] = rest;
  const state = readState(dir);
  if (!state.available && command !== undefined) {
    process.stderr.write("Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n");
    process.exit(1);
  }
  switch (command) {
    case "version":
      return out("24.0.7-fake\n");
    case "image": {
      const image = parseFlags(args.slice(1)).rest[0];
      if (!state.images.includes(image)) fail(1, `No such image: ${image}`);
      return out("sha256:fake\n");
    }
    case "pull": {
      const { flags, rest: images } = parseFlags(args);
      const image = images[0];
      const configDir = globals.find(([k]) => k === "--config")?.[1];
      const authfile = flags.find(([k]) => k === "--authfile")?.[1] ?? (configDir ? join(configDir, "config.json") : undefined);
      const auth = authfile && existsSync(authfile) ? JSON.parse(readFileSync(authfile, "utf8")) : undefined;
      // A slow link: the download takes its time before the image is there.
      if (state.pullDelayMs) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, state.pullDelayMs);
      const failing = withState((s) => {
        if (auth) s.pullAuth[image] = auth;
        if (s.failPull.includes(image)) return true;
        if (!s.images.includes(image)) s.images.push(image);
        return false;
      });
      if (failing) fail(1, `pull access denied for ${image}, repository does not exist or may require 'docker login'`);
      return out(`Status: Downloaded newer image for ${image}\n`);
    }
    case "run":
      return run(args);
    case "ps": {
      const { flags } = parseFlags(args);
      const filters = flags.filter(([k]) => k === "--filter").map(([, v]) => v.replace(/^label=/, ""));
      for (const c of state.containers) {
        if (filters.every((f) => `${f.slice(0, f.indexOf("="))}=${c.Config.Labels[f.slice(0, f.indexOf("="))]}` === f)) out(`${c.Id}\n`);
      }
      return;
    }
    case "inspect": {
      const found = parseFlags(args).rest.map((id) => state.containers.find((c) => c.Id === id || c.Id.startsWith(id)));
      out(`${JSON.stringify(found.filter(Boolean))}\n`);
      if (found.some((c) => !c)) fail(1, "No such object");
      return;
    }
    case "stop": {
      const { rest: ids } = parseFlags(args);
      withState((s) => {
        for (const c of s.containers.filter((c) => ids.includes(c.Id) && c.State.Running)) {
          Object.assign(c.State, { Status: "exited", Running: false, Pid: 0, ExitCode: 143, FinishedAt: new Date().toISOString() });
        }
      });
      return out(`${ids.join("\n")}\n`);
    }
    case "rm": {
      const { rest: ids } = parseFlags(args);
      withState((s) => {
        s.containers = s.containers.filter((c) => !ids.includes(c.Id));
      });
      return out(`${ids.join("\n")}\n`);
    }
    case "exec": {
      const [id, ...cmd] = parseFlags(args).rest;
      const c = state.containers.find((x) => x.Id === id);
      if (!c?.State.Running) fail(1, `container ${id} is not running`);
      const result = spawnSync(cmd[0], cmd.slice(1), { encoding: "utf8" });
      if (result.error) fail(126, `OCI runtime exec failed: ${result.error.message}`);
      process.stdout.write(result.stdout ?? "");
      process.stderr.write(result.stderr ?? "");
      process.exit(result.status ?? 1);
    }
    // falls through (process.exit above)
    case "events":
      setInterval(() => {}, 60_000);
      return;
    default:
      fail(1, `fake engine: unknown command ${command}`);
  }
}

main();
