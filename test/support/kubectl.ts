/**
 * The real `kubectl` against the e2e control plane: a kubeconfig written with `renderKubeconfig`
 * (the same file `edgeset kubeconfig` prints) in a private directory, with its own discovery and
 * HTTP cache so one test file never reads another's discovery.
 *
 * @example
 * const k = createKubectl(cp);
 * const { stdout, code } = await k.run("get", "ds");
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderKubeconfig, type Connection } from "../../scripts/lib/kubeconfig.ts";
import type { ControlPlane } from "./control-plane.ts";

export interface KubectlResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface RunOptions {
  /** Written to kubectl's stdin (for `-f -`). */
  stdin?: string;
  timeoutMs?: number;
  /** Added to kubectl's environment (e.g. `KUBECTL_REMOTE_COMMAND_WEBSOCKETS`). */
  env?: Record<string, string>;
  /** Runs kubectl on a terminal of its own, 100 columns by 30 rows (util-linux `script`), for `exec -it`. */
  terminal?: boolean;
}

export interface Kubectl {
  kubeconfig: string;
  dir: string;
  run(...args: (string | RunOptions)[]): Promise<KubectlResult>;
  /** Starts kubectl and returns at once (for `get -w`, `rollout status`): output so far, and a way to wait or stop. */
  start(...args: string[]): RunningKubectl;
  /** Writes `text` to a file in the private directory and returns its path. */
  file(name: string, text: string): string;
  /**
   * Another kubeconfig (e.g. a wrong token). `shareCache` keeps this one's discovery cache, as a
   * user whose token was rotated would have it; otherwise the new one starts cold.
   */
  withConnection(connection: Connection, options?: { shareCache?: boolean }): Kubectl;
  /** Like withConnection, with the kubeconfig text given as is. */
  withKubeconfig(text: string, options?: { shareCache?: boolean }): Kubectl;
  cleanup(): void;
}

export interface RunningKubectl {
  stdout(): string;
  stderr(): string;
  done: Promise<KubectlResult>;
  stop(): void;
}

/** The installed kubectl, or undefined. */
function findKubectl(): string | undefined {
  const probe = spawnSync("kubectl", ["version", "--client"], { encoding: "utf8" });
  return probe.status === 0 ? "kubectl" : undefined;
}

/**
 * kubectl is on every machine that runs these tests (`.ci/run` relies on it): a missing one fails
 * the suite loudly instead of skipping the tests that need it.
 */
export function requireKubectl(): void {
  if (findKubectl() === undefined) throw new Error("kubectl is not installed (v1.32 is expected on the PATH): the kubectl end-to-end tests cannot run without it");
}

export function createKubectl(cp: ControlPlane): Kubectl {
  requireKubectl();
  return kubectlFor(renderKubeconfig(cp.connection));
}

function kubectlFor(kubeconfigText: string, sharedCache?: string): Kubectl {
  const dir = mkdtempSync(join(tmpdir(), "edgeset-kubectl-"));
  const kubeconfig = join(dir, "kubeconfig");
  const cache = sharedCache ?? join(dir, "cache");
  writeFileSync(kubeconfig, kubeconfigText);
  const env = { ...process.env, KUBECONFIG: kubeconfig, HOME: dir, KUBECACHEDIR: cache, KUBECTL_COMMAND_HEADERS: "true" };

  const start = (args: string[], options: RunOptions = {}): RunningKubectl => {
    // The flag goes first: after `exec POD --` it would be the command's.
    const argv = [`--cache-dir=${cache}`, ...args];
    const quoted = ["kubectl", ...argv].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
    // kubectl sends the terminal's size as its first resize.
    const [command, commandArgs]: [string, string[]] = options.terminal ? ["script", ["-q", "-e", "-c", `stty cols 100 rows 30; ${quoted}`, "/dev/null"]] : ["kubectl", argv];
    const child = spawn(command, commandArgs, { env: { ...env, ...options.env }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.stdin.end(options.stdin ?? "");
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    const done = new Promise<KubectlResult>((resolve) =>
      child.on("close", (code, signal) => {
        clearTimeout(timer);
        resolve({ stdout, stderr, code: code ?? (signal ? 128 : 1) });
      }),
    );
    return { stdout: () => stdout, stderr: () => stderr, done, stop: () => child.kill("SIGTERM") };
  };

  return {
    kubeconfig,
    dir,
    run(...args) {
      const options = (typeof args[args.length - 1] === "object" ? args.pop() : {}) as RunOptions;
      return start(args as string[], options).done;
    },
    start: (...args) => start(args, { timeoutMs: 600_000 }),
    file(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
    withConnection: (connection, options = {}) => kubectlFor(renderKubeconfig(connection), options.shareCache ? cache : undefined),
    withKubeconfig: (text, options = {}) => kubectlFor(text, options.shareCache ? cache : undefined),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
