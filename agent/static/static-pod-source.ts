/**
 * @module
 * The static pods of a manifest directory (`--pod-manifest-dir`), kept current like the kubelet's
 * file source: every regular file whose name does not start with `.` is read (not recursing,
 * at most 10 MiB), re-read on every change the directory reports (fs.watch, debounced) and at
 * least every 20 s (`fileCheckFrequency`). Invalid files are skipped with one log line naming
 * the file and the field (again only if the problem changes). A second file defining the same pod
 * is skipped. A missing directory means no static pods.
 *
 * @example
 * const source = new StaticPodSource({ dir: "/etc/edgeset/manifests", nodeName: "edge-1", log, onChange: converge });
 * source.start();
 * source.pods(); // [Pod "log-shipper-edge-1", …]
 */
import { type FSWatcher, readdirSync, readFileSync, statSync, watch } from "node:fs";
import { join } from "node:path";
import type { Pod } from "../../src/resources/types.ts";
import type { Logger } from "../log.ts";
import { acceptPod, describeRefusal } from "../accept/accept-pod.ts";
import { parseManifest, toStaticPod } from "./manifest.ts";

export interface StaticPodSourceOptions {
  dir: string;
  nodeName: string;
  log: Logger;
  /** The set of static pods (or one of them) changed. */
  onChange: () => void;
  /** Default 20 s, the kubelet's fileCheckFrequency. */
  intervalMs?: number;
  debounceMs?: number;
  now?: () => number;
}

const maxManifestBytes = 10 * 1024 * 1024;

export class StaticPodSource {
  private readonly options: Required<StaticPodSourceOptions>;
  private current: Pod[] = [];
  /** When each uid was first seen (`kubernetes.io/config.seen`), so re-reads do not change it. */
  private readonly seen = new Map<string, number>();
  /** The last problem logged per file. */
  private readonly problems = new Map<string, string>();
  private watcher?: FSWatcher;
  private interval?: ReturnType<typeof setInterval>;
  private debounce?: ReturnType<typeof setTimeout>;
  private missingLogged = false;

  constructor(options: StaticPodSourceOptions) {
    this.options = { intervalMs: 20_000, debounceMs: 100, now: Date.now, ...options };
  }

  /** Reads the directory now (synchronously, so the pods run before any network), then watches it. */
  start(): void {
    this.rescan();
    this.interval = setInterval(() => this.rescan(), this.options.intervalMs);
    this.interval.unref();
  }

  pods(): Pod[] {
    return this.current;
  }

  close(): void {
    clearInterval(this.interval);
    clearTimeout(this.debounce);
    this.watcher?.close();
    this.watcher = undefined;
  }

  private ensureWatch(): void {
    if (this.watcher) return;
    try {
      this.watcher = watch(this.options.dir, () => this.schedule());
      this.watcher.on("error", () => {
        this.watcher?.close();
        this.watcher = undefined;
      });
      this.watcher.unref();
    } catch {
      // Not there (yet): the interval keeps looking.
    }
  }

  private schedule(): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.rescan(), this.options.debounceMs);
    this.debounce.unref();
  }

  private problem(file: string, message: string): void {
    if (this.problems.get(file) === message) return;
    this.problems.set(file, message);
    this.options.log(`static pod manifest ${file} skipped: ${message}`);
  }

  /** Reads every manifest; tells the listener when the set of pods changed. */
  rescan(): void {
    const { dir, nodeName } = this.options;
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => !n.startsWith(".")).sort();
      this.missingLogged = false;
      this.ensureWatch();
    } catch (error) {
      if (!this.missingLogged) this.options.log(`static pod manifest directory ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; no static pods`);
      this.missingLogged = true;
      this.watcher?.close();
      this.watcher = undefined;
      names = [];
    }
    const pods: Pod[] = [];
    const fullNames = new Set<string>();
    const files = new Set<string>();
    for (const name of names) {
      const path = join(dir, name);
      let text: string;
      try {
        const stat = statSync(path);
        if (!stat.isFile()) continue;
        if (stat.size > maxManifestBytes) {
          this.problem(path, `larger than ${maxManifestBytes} bytes`);
          continue;
        }
        text = readFileSync(path, "utf8");
      } catch (error) {
        this.problem(path, (error as NodeJS.ErrnoException).code ?? (error as Error).message);
        continue;
      }
      files.add(path);
      let parsed: ReturnType<typeof parseManifest>;
      let draft: Pod;
      try {
        parsed = parseManifest(text);
        if ("error" in parsed) {
          this.problem(path, parsed.error);
          continue;
        }
        draft = toStaticPod(parsed.pod, { nodeName, path, seen: 0 });
        // The same boundary as assigned pods: names that become paths (volumes, containers, the pod's own) and subPaths stay inside.
        const checked = acceptPod(draft);
        if ("refused" in checked) {
          this.problem(path, describeRefusal(checked.refused));
          continue;
        }
      } catch (error) {
        // One file the checks did not foresee is skipped and named; the agent and the other static pods keep running.
        this.problem(path, `could not be read as a Pod: ${(error as Error).message}`);
        continue;
      }
      const uid = draft.metadata.uid!;
      const fullName = `${draft.metadata.namespace}/${draft.metadata.name}`;
      if (fullNames.has(fullName)) {
        this.problem(path, `metadata.name: Duplicate value: ${JSON.stringify(parsed.pod.metadata.name)} (another manifest defines this pod)`);
        continue;
      }
      fullNames.add(fullName);
      this.problems.delete(path);
      if (!this.seen.has(uid)) this.seen.set(uid, this.options.now());
      pods.push(toStaticPod(parsed.pod, { nodeName, path, seen: this.seen.get(uid)! }));
    }
    for (const file of this.problems.keys()) if (!files.has(file)) this.problems.delete(file);
    const uids = new Set(pods.map((p) => p.metadata.uid!));
    for (const uid of this.seen.keys()) if (!uids.has(uid)) this.seen.delete(uid);
    const before = this.current.map((p) => p.metadata.uid).join(",");
    this.current = pods;
    if (pods.map((p) => p.metadata.uid).join(",") !== before) this.options.onChange();
  }
}
