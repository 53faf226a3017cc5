/**
 * @module
 * One line per meaningful event, to stderr, prefixed with an ISO timestamp. Callers never pass
 * tokens or credentials.
 *
 * @example
 * const log = createLogger();
 * log("enrolled as node edge-1"); // 2024-05-01T10:00:00.000Z enrolled as node edge-1
 */

export type Logger = (message: string) => void;

export function createLogger(
  write: (line: string) => void = (line) => process.stderr.write(line),
  now: () => number = Date.now,
): Logger {
  return (message) => write(`${new Date(now()).toISOString()} ${message}\n`);
}
