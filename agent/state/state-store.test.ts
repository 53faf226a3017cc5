import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makePod } from "../testing/pods.ts";
import { readJsonFile, writeFileAtomic } from "./atomic-file.ts";
import { StateStore } from "./state-store.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "edgeset-state-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("writeFileAtomic", () => {
  it("replaces the file with mode 0600 and leaves no temporary file", () => {
    const path = join(dir, "f.json");
    writeFileSync(path, "old");
    writeFileAtomic(path, '{"new":true}');
    expect(readJsonFile(path)).toEqual({ new: true });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(["f.json"]);
  });
});

describe("readJsonFile", () => {
  it.each([
    { name: "missing file", content: undefined, want: undefined },
    { name: "valid JSON", content: '{"a":1}', want: { a: 1 } },
  ])("$name", ({ content, want }) => {
    const path = join(dir, "x.json");
    if (content !== undefined) writeFileSync(path, content);
    expect(readJsonFile(path)).toEqual(want);
  });

  it("throws on a corrupt file", () => {
    writeFileSync(join(dir, "x.json"), "{nope");
    expect(() => readJsonFile(join(dir, "x.json"))).toThrow(/not valid JSON/);
  });
});

describe("StateStore", () => {
  it("round-trips the credential and the assignments", () => {
    const store = new StateStore(dir);
    store.ensure();
    expect(statSync(store.podsDir).isDirectory()).toBe(true);
    expect([store.loadCredential(), store.loadAssignments()]).toEqual([undefined, undefined]);
    const credential = { server: "https://cp/", nodeName: "n1", credential: "c" };
    const assignments = { version: "v3", syncIntervalSeconds: 5, pods: [makePod("web")] };
    store.saveCredential(credential);
    store.saveAssignments(assignments);
    expect(store.loadCredential()).toEqual(credential);
    expect(store.loadAssignments()).toEqual(assignments);
  });

  it.each([
    { file: "credential.json", content: '{"server":"x"}', load: (s: StateStore) => s.loadCredential(), error: /credential/ },
    { file: "assignments.json", content: '{"version":"v1"}', load: (s: StateStore) => s.loadAssignments(), error: /no pods/ },
  ])("rejects a $file without its essentials", ({ file, content, load, error }) => {
    writeFileSync(join(dir, file), content);
    expect(() => load(new StateStore(dir))).toThrow(error);
  });
});
