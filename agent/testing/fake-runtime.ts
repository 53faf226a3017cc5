/**
 * @module
 * An in-memory Runtime for tests of what sits above runtimes (the runtime set, probes): pods
 * "run" as soon as they are synced, every call is recorded, `exec` answers what the test says.
 *
 * @example
 * const runtime = new FakeRuntime("docker");
 * runtime.syncPod(pod);
 * runtime.calls // ["syncPod web"]
 */
import type { Pod } from "../../src/resources/types.ts";
import type { ExecResult, Runtime, RuntimePodSnapshot } from "../runtime/runtime.ts";

export class FakeRuntime implements Runtime {
  readonly name: string;
  isAvailable = true;
  readonly calls: string[] = [];
  readonly pods = new Map<string, RuntimePodSnapshot>();
  /** What `exec` answers, by command. */
  execHandler: (command: string[]) => ExecResult = () => ({ exitCode: 0, output: "", timedOut: false });
  private readonly listeners: Array<() => void> = [];

  constructor(name: string) {
    this.name = name;
  }

  available(): boolean {
    return this.isAvailable;
  }

  async recover(): Promise<void> {
    this.calls.push("recover");
  }

  syncPod(pod: Pod): void {
    const uid = pod.metadata.uid!;
    this.calls.push(`syncPod ${pod.metadata.name}`);
    if (this.pods.get(uid)?.phase === "active") return;
    this.pods.set(uid, {
      uid,
      namespace: pod.metadata.namespace ?? "default",
      name: pod.metadata.name ?? uid,
      startTime: 0,
      phase: "active",
      pod,
      containers: pod.spec.containers.map((c) => ({ name: c.name, containerID: `fake://${uid}/${c.name}/0`, restartCount: 0, state: { kind: "running", startedAt: Date.now() } })),
    });
    this.emit();
  }

  async killPod(uid: string): Promise<void> {
    this.calls.push(`killPod ${uid}`);
    const pod = this.pods.get(uid);
    if (pod) pod.phase = "stopped";
    this.emit();
  }

  async killContainer(uid: string, container: string): Promise<void> {
    this.calls.push(`killContainer ${uid} ${container}`);
    const c = this.pods.get(uid)?.containers.find((x) => x.name === container);
    if (!c) return;
    c.restartCount++;
    c.containerID = `fake://${uid}/${container}/${c.restartCount}`;
    c.state = { kind: "running", startedAt: Date.now() };
    this.emit();
  }

  async exec(uid: string, container: string, command: string[]): Promise<ExecResult> {
    this.calls.push(`exec ${uid} ${container} ${command.join(" ")}`);
    return this.execHandler(command);
  }

  probeHost(): string {
    return "127.0.0.1";
  }

  removePod(uid: string): void {
    this.calls.push(`removePod ${uid}`);
    this.pods.delete(uid);
  }

  listPods(): RuntimePodSnapshot[] {
    return [...this.pods.values()];
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  close(): void {}

  emit(): void {
    for (const listener of this.listeners) listener();
  }
}
