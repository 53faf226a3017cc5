import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { rotateLogIfNeeded } from "./log-rotation.ts";

let dir: string;
let log: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "edgeset-logs-"));
  log = join(dir, "main.log");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const options = { maxBytes: 10, maxFiles: 3 };

describe("rotateLogIfNeeded", () => {
  it.each([
    { name: "a missing log", content: undefined, rotated: false },
    { name: "a small log", content: "123456789", rotated: false },
    { name: "a log at the limit", content: "1234567890", rotated: true },
  ])("$name", ({ content, rotated }) => {
    if (content !== undefined) writeFileSync(log, content);
    expect(rotateLogIfNeeded(log, options)).toBe(rotated);
  });

  it("keeps maxFiles - 1 rotated files, newest first", () => {
    for (const round of ["first-round", "second-round", "third-round"]) {
      writeFileSync(log, round);
      rotateLogIfNeeded(log, options);
    }
    expect(readFileSync(log, "utf8")).toBe("");
    expect(readFileSync(`${log}.1`, "utf8")).toBe("third-round");
    expect(readFileSync(`${log}.2`, "utf8")).toBe("second-round");
    expect(existsSync(`${log}.3`)).toBe(false);
  });
});
