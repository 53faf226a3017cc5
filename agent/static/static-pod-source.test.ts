import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { waitFor } from "../testing/wait.ts";
import { StaticPodSource } from "./static-pod-source.ts";

let dir: string;
let sources: StaticPodSource[];
let logs: string[];
let changes: number;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "edgeset-manifests-"));
  sources = [];
  logs = [];
  changes = 0;
});
afterEach(() => {
  sources.forEach((s) => s.close());
  rmSync(dir, { recursive: true, force: true });
});

const manifest = (name: string, command = "sleep 1000") =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n    - name: main\n      image: busybox\n      command: ["sh", "-c", "${command}"]\n`;

function start(options: { intervalMs?: number; path?: string } = {}) {
  const source = new StaticPodSource({ dir: options.path ?? dir, nodeName: "edge-1", log: (l) => logs.push(l), onChange: () => changes++, intervalMs: options.intervalMs, debounceMs: 20 });
  sources.push(source);
  source.start();
  return source;
}

const names = (source: StaticPodSource) => source.pods().map((p) => p.metadata.name);

describe("StaticPodSource", () => {
  it("skips a hostile manifest with its problem named and keeps the others, at start and on a rescan", () => {
    writeFileSync(join(dir, "a.yaml"), manifest("alpha"));
    writeFileSync(join(dir, "b.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: { name: beta }\nspec: { volumes: { a: 1 }, containers: [{ name: c, image: x, ports: [null] }] }\n");
    writeFileSync(join(dir, "c.yaml"), ["a: &a [x, x, x, x, x, x, x, x, x]", ..."bcdefg".split("").map((k, i) => `${k}: &${k} [${Array(9).fill(`*${"abcdefg"[i]}`).join(", ")}]`)].join("\n"));
    const source = start();
    expect(names(source)).toEqual(["alpha-edge-1"]);
    expect(logs).toEqual([
      `static pod manifest ${join(dir, "b.yaml")} skipped: spec.volumes: Invalid value: must be a list`,
      `static pod manifest ${join(dir, "c.yaml")} skipped: not valid YAML or JSON: Excessive alias count indicates a resource exhaustion attack`,
    ]);
    expect(() => source.rescan()).not.toThrow();
    expect(names(source)).toEqual(["alpha-edge-1"]);
  });

  it("reads every manifest at start, skipping dot-files, directories and invalid files with the field named", () => {
    writeFileSync(join(dir, "a.yaml"), manifest("alpha"));
    writeFileSync(join(dir, "b.json"), JSON.stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "beta" }, spec: { containers: [{ name: "c", image: "x" }] } }));
    writeFileSync(join(dir, ".hidden.yaml"), manifest("hidden"));
    writeFileSync(join(dir, "c.yaml~"), "apiVersion: v1\nkind: Pod\nmetadata: { name: gamma }\nspec: { containers: [{ name: c }] }\n");
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub", "d.yaml"), manifest("delta"));
    const source = start();
    expect(names(source)).toEqual(["alpha-edge-1", "beta-edge-1"]);
    expect(logs).toEqual([`static pod manifest ${join(dir, "c.yaml~")} skipped: spec.containers[0].image: Required value`]);
    source.rescan();
    expect(logs).toHaveLength(1);
  });

  it("follows changes, additions and removals through the watch", async () => {
    writeFileSync(join(dir, "a.yaml"), manifest("alpha"));
    const source = start({ intervalMs: 60_000 });
    const firstUid = source.pods()[0].metadata.uid;
    const seen = source.pods()[0].metadata.annotations?.["kubernetes.io/config.seen"];

    writeFileSync(join(dir, "a.yaml.tmp"), manifest("alpha", "sleep 2000"));
    renameSync(join(dir, "a.yaml.tmp"), join(dir, "a.yaml"));
    await waitFor(() => source.pods()[0]?.metadata.uid !== firstUid && source.pods().length === 1, 3000, "the changed pod");

    writeFileSync(join(dir, "b.yaml"), manifest("beta"));
    await waitFor(() => names(source).length === 2, 3000, "the added pod");
    rmSync(join(dir, "a.yaml"));
    await waitFor(() => names(source).join() === "beta-edge-1", 3000, "the removed pod");
    expect(changes).toBeGreaterThanOrEqual(3);
    expect(seen).toMatch(/Z$/);
  });

  it.each([
    { name: "a volume name with ..", volumes: [{ name: "../../../escape", emptyDir: {} }], mounts: [], field: "spec.volumes[0].name" },
    { name: "a subPath with ..", volumes: [{ name: "v", emptyDir: {} }], mounts: [{ name: "v", mountPath: "/m", subPath: "../../x" }], field: "spec.containers[0].volumeMounts[0].subPath" },
  ])("skips a manifest with $name, creating nothing", ({ volumes, mounts, field }) => {
    const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "bad" }, spec: { volumes, containers: [{ name: "c", image: "x", volumeMounts: mounts }] } };
    writeFileSync(join(dir, "bad.json"), JSON.stringify(pod));
    const source = start();
    expect(names(source)).toEqual([]);
    expect(logs).toEqual([expect.stringContaining(`bad.json skipped: ${field}: Invalid value`)]);
  });

  it("keeps config.seen across re-reads of the same content", () => {
    writeFileSync(join(dir, "a.yaml"), manifest("alpha"));
    const source = start();
    const before = source.pods()[0].metadata.annotations?.["kubernetes.io/config.seen"];
    source.rescan();
    expect(source.pods()[0].metadata.annotations?.["kubernetes.io/config.seen"]).toBe(before);
    expect(changes).toBe(1);
  });

  it("skips a second manifest of the same pod", () => {
    writeFileSync(join(dir, "a.yaml"), manifest("alpha"));
    writeFileSync(join(dir, "b.yaml"), manifest("alpha", "sleep 5"));
    const source = start();
    expect(names(source)).toEqual(["alpha-edge-1"]);
    expect(logs[0]).toContain('b.yaml skipped: metadata.name: Duplicate value: "alpha"');
  });

  it("treats a missing directory as empty and picks it up once it exists", async () => {
    const later = join(dir, "later");
    const source = start({ path: later, intervalMs: 50 });
    expect(source.pods()).toEqual([]);
    expect(logs[0]).toContain("ENOENT; no static pods");
    mkdirSync(later);
    writeFileSync(join(later, "a.yaml"), manifest("alpha"));
    await waitFor(() => source.pods().length === 1, 3000, "the pod in the new directory");
  });
});
