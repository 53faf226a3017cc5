/**
 * @module
 * The failures in a vitest JSON report (`--reporter=json --outputFile.json=…`), for the summary
 * `npm test` prints at the end of a failing run: a failure scrolled away in hundreds of lines of
 * parallel output is easy to miss.
 *
 * ```ts
 * failuresIn(readFileSync(".tmp/test-results/e2e.json", "utf8"), process.cwd())
 * // → [{ file: "test/e2e/cli.test.ts", test: "edgeset apply > creates the DaemonSet" }]
 * ```
 */
import { relative } from "node:path";

export interface Failure {
  file: string;
  /** The test's describe blocks and title joined by " > ", or what failed the file outside any test. */
  test: string;
}

interface JsonReport {
  testResults?: {
    name: string;
    status: string;
    message?: string;
    assertionResults?: { ancestorTitles: string[]; title: string; status: string }[];
  }[];
}

/**
 * Every failed test of the report, and every file that failed without a failed test (an error in
 * a hook or at import, a crashed worker), named by its first error line.
 */
export function failuresIn(reportJson: string, root: string): Failure[] {
  const report = JSON.parse(reportJson) as JsonReport;
  const failures: Failure[] = [];
  for (const file of report.testResults ?? []) {
    const name = relative(root, file.name);
    const failed = (file.assertionResults ?? []).filter((test) => test.status === "failed");
    for (const test of failed) failures.push({ file: name, test: [...test.ancestorTitles, test.title].join(" > ") });
    if (failed.length === 0 && file.status === "failed") failures.push({ file: name, test: `(file) ${file.message?.split("\n")[0] || "failed outside a test"}` });
  }
  return failures;
}
