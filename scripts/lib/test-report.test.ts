import { describe, expect, it } from "vitest";
import { failuresIn } from "./test-report.ts";

const root = "/repo";
const test = (title: string, status: string, ancestorTitles: string[] = []) => ({ ancestorTitles, title, status });
const report = (...testResults: unknown[]) => JSON.stringify({ testResults });

describe("failuresIn", () => {
  it.each([
    { name: "a passing run has none", json: report({ name: "/repo/test/a.test.ts", status: "passed", assertionResults: [test("ok", "passed")] }), want: [] },
    {
      name: "each failed test, by file and describe path",
      json: report(
        { name: "/repo/test/a.test.ts", status: "failed", assertionResults: [test("ok", "passed"), test("breaks", "failed", ["group", "inner"]), test("top", "failed")] },
        { name: "/repo/test/b.test.ts", status: "passed", assertionResults: [test("ok", "passed")] },
      ),
      want: [
        { file: "test/a.test.ts", test: "group > inner > breaks" },
        { file: "test/a.test.ts", test: "top" },
      ],
    },
    {
      name: "a file failed outside its tests (a hook, an import), by its first error line",
      json: report({ name: "/repo/test/c.test.ts", status: "failed", message: "setup exploded\nat line 2", assertionResults: [test("skipped one", "skipped")] }),
      want: [{ file: "test/c.test.ts", test: "(file) setup exploded" }],
    },
    { name: "a file failed with no message", json: report({ name: "/repo/test/d.test.ts", status: "failed", assertionResults: [] }), want: [{ file: "test/d.test.ts", test: "(file) failed outside a test" }] },
    { name: "a report without results", json: "{}", want: [] },
  ])("$name", ({ json, want }) => {
    expect(failuresIn(json, root)).toEqual(want);
  });
});
