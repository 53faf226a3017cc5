/**
 * Real container engines for end-to-end tests, each private to the test and gone after it:
 *
 * - **docker**: the test's own `dockerd` (own `--data-root`, `--exec-root`, `--pidfile`, an empty
 *   `--config-file` and a `unix://` socket under the test's directory), with `--iptables=false
 *   --bridge=none` and default ulimits nofile/nproc 1024 (this machine lacks CAP_SYS_RESOURCE, so
 *   the engine's own defaults fail). `env.DOCKER_HOST` points the CLI at it.
 * - **podman**: no daemon; `env.CONTAINERS_CONF` and `env.CONTAINERS_STORAGE_CONF` point at a
 *   containers.conf (`runtime = "runc"`, `cgroup_manager = "cgroupfs"`, the same ulimits, its own
 *   tmp and network dirs) and a storage.conf (own graphroot and runroot) under the test's
 *   directory, so neither the user's configuration nor their containers and images are touched.
 *
 * No registry is reachable: images are built here, a tar of a root filesystem holding
 * `/bin/busybox` (busybox-static) and its applet links, loaded with `docker import` /
 * `podman import`, one tag per entry of `tags` (each with `/etc/edgeset-image` holding its tag, so
 * a rolling update is visible inside the container).
 *
 * A missing binary or an engine that does not start throws with the reason and the fix: the suite
 * fails loudly, it never skips.
 *
 * @example
 * const engines = await startEngines({ tags: ["1", "2"] });
 * engines.image("1")                         // "edgeset-e2e/busybox:1"
 * await engines.cli("podman", ["ps", "-a"]); // with the test's configuration
 * await engines.stop();
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { accessSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CliResult, runCli } from "../../agent/runtime/container/cli.ts";
import { waitFor } from "./wait.ts";

export type EngineName = "docker" | "podman";

export interface Engines {
  root: string;
  /** What an agent (or any CLI call) needs to reach these engines, on top of its environment. */
  env: Record<string, string>;
  /** `engine version` as the engine reports it (docker: the daemon's). */
  versions: Record<EngineName, string>;
  /** The image reference of a tag built at start. */
  image(tag: string): string;
  /** Runs the engine's CLI with the test's configuration. */
  cli(engine: EngineName, args: string[], timeoutMs?: number): Promise<CliResult>;
  /** Stops dockerd (its containers die, as in a power cut) and starts it again on the same data. */
  restartDocker(): Promise<void>;
  /** Removes every container and image, stops dockerd, deletes the directory. */
  stop(): Promise<void>;
}

/** A free loopback port (host-network containers share the node's ports). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export const imageRepository = "edgeset-e2e/busybox";

const installHint = "install it with `apt-get install -y podman runc docker.io busybox-static` (.ci/run does)";

/** The system directories only: the engines and their helpers (containerd, runc, conmon) live there. */
const systemPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

function findOnPath(name: string): string | undefined {
  for (const dir of systemPath.split(":")) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return undefined;
}

function requireBinaries(names: string[]): void {
  const missing = names.filter((n) => !findOnPath(n));
  if (missing.length > 0) throw new Error(`the real container engine tests cannot run: ${missing.join(", ")} not found; ${installHint}`);
}

/** A root filesystem with busybox and its applets, and a file naming the tag. */
function buildRootfsTar(root: string, tag: string): string {
  const rootfs = join(root, `rootfs-${tag}`);
  mkdirSync(join(rootfs, "bin"), { recursive: true });
  mkdirSync(join(rootfs, "etc"), { recursive: true });
  mkdirSync(join(rootfs, "tmp"), { recursive: true });
  const busybox = findOnPath("busybox")!;
  writeFileSync(join(rootfs, "bin", "busybox"), readFileSync(busybox), { mode: 0o755 });
  writeFileSync(join(rootfs, "etc", "edgeset-image"), `${tag}\n`);
  writeFileSync(join(rootfs, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n");
  const applets = spawnText(busybox, ["--list"]);
  for (const applet of applets.split("\n").map((a) => a.trim()).filter((a) => a && a !== "busybox")) symlinkSync("busybox", join(rootfs, "bin", applet));
  const tar = join(root, `rootfs-${tag}.tar`);
  spawnText("tar", ["-C", rootfs, "-cf", tar, "."]);
  rmSync(rootfs, { recursive: true, force: true });
  return tar;
}

function spawnText(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: "utf8", env: { PATH: systemPath } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr}`);
  return result.stdout;
}

/** What the engines left mounted under `root` (dockerd's netns, overlay layers), deepest first. */
function unmountUnder(root: string): void {
  const points = readFileSync("/proc/self/mounts", "utf8")
    .split("\n")
    .map((line) => line.split(" ")[1]?.replace(/\\040/g, " "))
    .filter((point): point is string => point !== undefined && point.startsWith(`${root}/`))
    .sort((a, b) => b.length - a.length);
  for (const point of points) spawnSync("umount", ["--lazy", point], { env: { PATH: systemPath } });
}

async function check(what: string, result: Promise<CliResult>): Promise<string> {
  const r = await result;
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}): ${r.stderr.trim() || r.stdout.trim()}`);
  return r.stdout.trim();
}

export async function startEngines(options: { tags: string[] }): Promise<Engines> {
  requireBinaries(["docker", "dockerd", "containerd", "podman", "runc", "busybox", "tar"]);
  const root = mkdtempSync(join(tmpdir(), "edgeset-engines-"));
  const dockerDir = join(root, "docker");
  const podmanDir = join(root, "podman");
  for (const d of [join(dockerDir, "data"), join(dockerDir, "exec"), join(podmanDir, "tmp"), join(podmanDir, "net")]) mkdirSync(d, { recursive: true });

  writeFileSync(
    join(podmanDir, "containers.conf"),
    [
      "[containers]",
      'default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]',
      "[engine]",
      'runtime = "runc"',
      'cgroup_manager = "cgroupfs"',
      'events_logger = "file"',
      `tmp_dir = "${join(podmanDir, "tmp")}"`,
      "[network]",
      `network_config_dir = "${join(podmanDir, "net")}"`,
      "",
    ].join("\n"),
  );
  writeFileSync(join(podmanDir, "storage.conf"), ["[storage]", 'driver = "overlay"', `graphroot = "${join(podmanDir, "storage")}"`, `runroot = "${join(podmanDir, "run")}"`, ""].join("\n"));
  writeFileSync(join(dockerDir, "daemon.json"), "{}\n");

  const socket = join(dockerDir, "docker.sock");
  const env: Record<string, string> = {
    DOCKER_HOST: `unix://${socket}`,
    CONTAINERS_CONF: join(podmanDir, "containers.conf"),
    CONTAINERS_STORAGE_CONF: join(podmanDir, "storage.conf"),
  };
  const cliEnv = { PATH: systemPath, HOME: root, ...env };
  const cli = (engine: EngineName, args: string[], timeoutMs = 120_000) => runCli(engine, args, { timeoutMs, env: cliEnv });

  let dockerd: ChildProcess | undefined;
  let dockerLog = "";
  const startDockerd = async () => {
    const args = [
      "--data-root", join(dockerDir, "data"),
      "--exec-root", join(dockerDir, "exec"),
      "--pidfile", join(dockerDir, "docker.pid"),
      "--config-file", join(dockerDir, "daemon.json"),
      "--host", `unix://${socket}`,
      "--iptables=false", "--bridge=none",
      "--default-ulimit", "nofile=1024:1024", "--default-ulimit", "nproc=1024:1024",
    ];
    const child = spawn("dockerd", args, { env: { PATH: systemPath }, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.on("data", (d) => (dockerLog += d));
    child.stderr!.on("data", (d) => (dockerLog += d));
    dockerd = child;
    try {
      await waitFor("dockerd to answer", async () => {
        if (child.exitCode !== null) throw new Error(`dockerd exited with ${child.exitCode}`);
        return (await cli("docker", ["version", "--format", "{{.Server.Version}}"], 15_000)).code === 0;
      }, 60_000, 250);
    } catch (error) {
      throw new Error(`dockerd does not start here: ${(error as Error).message}\n${dockerLog.split("\n").slice(-15).join("\n")}`);
    }
  };
  const stopDockerd = async () => {
    const child = dockerd;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    await gone;
    clearTimeout(timer);
  };

  const stop = async () => {
    await cli("podman", ["rm", "--all", "--force", "--time", "0"]).catch(() => undefined);
    await cli("podman", ["system", "reset", "--force"]).catch(() => undefined);
    if (dockerd && dockerd.exitCode === null) {
      const ids = (await cli("docker", ["ps", "--all", "--quiet"]).catch(() => undefined))?.stdout.split("\n").filter(Boolean) ?? [];
      if (ids.length > 0) await cli("docker", ["rm", "--force", ...ids]).catch(() => undefined);
    }
    await stopDockerd();
    unmountUnder(root);
    rmSync(root, { recursive: true, force: true });
  };

  try {
    await startDockerd();
    const versions = {
      docker: await check("docker version", cli("docker", ["version", "--format", "{{.Server.Version}}"])),
      podman: await check("podman version (with the test's containers.conf)", cli("podman", ["version", "--format", "{{.Client.Version}}"])),
    };
    for (const tag of options.tags) {
      const tar = buildRootfsTar(root, tag);
      const image = `${imageRepository}:${tag}`;
      await check(`docker import ${image}`, cli("docker", ["import", tar, image]));
      await check(`podman import ${image}`, cli("podman", ["import", tar, image]));
    }
    // One container on each engine proves it can run one here (runc, cgroups, ulimits) before any agent tries.
    for (const engine of ["docker", "podman"] as const) {
      const out = await check(`${engine} run (the engine cannot run a container here; a busybox that is not statically linked cannot run in the image either)`, cli(engine, ["run", "--rm", "--network", "host", `${imageRepository}:${options.tags[0]}`, "cat", "/etc/edgeset-image"]));
      if (out !== options.tags[0]) throw new Error(`${engine} run printed ${JSON.stringify(out)}, not the image's tag`);
    }
    return {
      root,
      env,
      versions,
      image: (tag) => `${imageRepository}:${tag}`,
      cli,
      async restartDocker() {
        await stopDockerd();
        await startDockerd();
      },
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
