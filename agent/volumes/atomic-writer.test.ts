import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeAtomically } from "./atomic-writer.ts";
import type { Payload } from "./volume-payload.ts";

let dir: string;
beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), "edgeset-aw-")), "vol");
});
afterEach(() => rmSync(join(dir, ".."), { recursive: true, force: true }));

const payload = (entries: Record<string, string | [string, number]>): Payload =>
  new Map(Object.entries(entries).map(([path, v]) => [path, { data: Buffer.from(Array.isArray(v) ? v[0] : v), mode: Array.isArray(v) ? v[1] : 0o644 }]));

const read = (path: string) => readFileSync(join(dir, path), "utf8");
const timestamped = () => readdirSync(dir).filter((n) => /^\.\.\d{4}_/.test(n));

describe("writeAtomically", () => {
  it("lays files out behind ..data, as the kubelet does", () => {
    expect(writeAtomically(dir, payload({ "app.conf": "a=1", "sub/x": ["x", 0o600] }), new Date(Date.UTC(2024, 4, 1, 10, 0, 0)))).toBe(true);
    expect(read("app.conf")).toBe("a=1");
    expect(read("sub/x")).toBe("x");
    expect(readlinkSync(join(dir, "app.conf"))).toBe("..data/app.conf");
    expect(readlinkSync(join(dir, "..data"))).toMatch(/^\.\.2024_05_01_10_00_00\./);
    expect(lstatSync(join(dir, "..data", "sub/x")).mode & 0o777).toBe(0o600);
  });

  it("writes nothing when content and modes are unchanged", () => {
    writeAtomically(dir, payload({ a: "1" }), new Date());
    const before = readlinkSync(join(dir, "..data"));
    expect(writeAtomically(dir, payload({ a: "1" }), new Date())).toBe(false);
    expect(readlinkSync(join(dir, "..data"))).toBe(before);
  });

  it.each<{ name: string; next: Record<string, string | [string, number]>; want: Record<string, string> }>([
    { name: "changed content", next: { a: "2", b: "1" }, want: { a: "2", b: "1" } },
    { name: "a removed key", next: { a: "1" }, want: { a: "1" } },
    { name: "a changed mode", next: { a: ["1", 0o400], b: "1" }, want: { a: "1", b: "1" } },
  ])("swaps in a new data directory on $name and removes the old one", ({ next, want }) => {
    writeAtomically(dir, payload({ a: "1", b: "1" }), new Date());
    const before = readlinkSync(join(dir, "..data"));
    expect(writeAtomically(dir, payload(next), new Date())).toBe(true);
    expect(readlinkSync(join(dir, "..data"))).not.toBe(before);
    expect(timestamped()).toEqual([readlinkSync(join(dir, "..data"))]);
    const visible = readdirSync(dir).filter((n) => !n.startsWith(".."));
    expect(Object.fromEntries(visible.map((n) => [n, read(n)]))).toEqual(want);
  });

  it("drops the old data directory once the new one is in place", () => {
    writeAtomically(dir, payload({ a: "old" }), new Date());
    const oldTarget = join(dir, readlinkSync(join(dir, "..data")), "a");
    writeAtomically(dir, payload({ a: "new" }), new Date());
    expect(read("a")).toBe("new");
    expect(() => readFileSync(oldTarget)).toThrow(/ENOENT/);
  });
});
