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
    expect([store.loadCredential(), store.loadAssignments().value]).toEqual([undefined, undefined]);
    const credential = { server: "https://cp/", nodeName: "n1", credential: "c" };
    const assignments = { version: "v3", syncIntervalSeconds: 5, pods: [makePod("web")] };
    store.saveCredential(credential);
    store.saveAssignments(assignments);
    expect(store.loadCredential()).toEqual(credential);
    expect(store.loadAssignments()).toEqual({ value: assignments, refused: [], problems: [] });
  });

  it("rejects a credential.json without its essentials", () => {
    writeFileSync(join(dir, "credential.json"), '{"server":"x"}');
    expect(() => new StateStore(dir).loadCredential()).toThrow(/credential/);
  });

  it("moves a corrupt credential.json aside", () => {
    writeFileSync(join(dir, "credential.json"), "{nope");
    expect(() => new StateStore(dir).loadCredential()).toThrow(/moved aside to credential.json.corrupt/);
    expect(readdirSync(dir)).toEqual(["credential.json.corrupt"]);
  });

  it.each([
    { name: "not JSON", content: "{nope", problems: [/not valid JSON.*moved aside to assignments.json.corrupt/], files: ["assignments.json.corrupt"] },
    { name: "not an object", content: "[1]", problems: [/not an object/], files: ["assignments.json"] },
    { name: "no pods list", content: '{"version":"v1"}', problems: [/pods: Invalid value: must be a list/], files: ["assignments.json"] },
  ])("starts clean from saved assignments that are $name", ({ content, problems, files }) => {
    writeFileSync(join(dir, "assignments.json"), content);
    const loaded = new StateStore(dir).loadAssignments();
    expect(loaded.problems).toEqual(problems.map((p) => expect.stringMatching(p)));
    expect(loaded.value?.pods ?? []).toEqual([]);
    expect(readdirSync(dir)).toEqual(files);
  });

  it("keeps the pods it can run and refuses the others, naming the field", () => {
    const good = makePod("web");
    const bad = { ...makePod("bad", { uid: "u-bad" }), spec: { containers: [null] } };
    writeFileSync(join(dir, "assignments.json"), JSON.stringify({ version: "v2", pods: [good, bad] }));
    const loaded = new StateStore(dir).loadAssignments();
    expect(loaded.value?.pods).toEqual([good]);
    expect(loaded.refused).toEqual([{ namespace: "default", name: "bad", uid: "u-bad", field: "spec.containers[0]", message: "Invalid value: null: must not be null" }]);
    expect(loaded.problems).toEqual(["saved assignments: pod default/bad: cannot run on this device: spec.containers[0]: Invalid value: null: must not be null"]);
  });
});
