/**
 * @module
 * The CRI log line, as containerd and CRI-O write container logs for the kubelet:
 * `<RFC 3339 time with nanoseconds> <stdout|stderr> <F|P> <content>`. `P` marks a partial line
 * (cut at `maxLineBytes`, continued by the next line); `F` ends one. `kubectl logs` prints the
 * content (with the time first under `--timestamps`), and a newline after each `F`.
 *
 * @example
 * formatCriLine(1764770400123, 456789, "stdout", "F", "hello") // "2025-12-03T14:00:00.123456789Z stdout F hello\n"
 * parseCriLine("2025-12-03T14:00:00.123456789Z stdout F hello") // { time: 1764770400123, …, content: "hello" }
 */

export type LogStream = "stdout" | "stderr";

export interface CriLine {
  /** Milliseconds since the epoch (for --since), and the timestamp as written (for --timestamps). */
  time: number;
  timestamp: string;
  stream: LogStream;
  partial: boolean;
  content: string;
}

/** Longer lines (counted in UTF-16 code units) are written as several partial lines (the kubelet's 16 KiB). */
export const maxLineBytes = 16 * 1024;

/** `nanos` are the nanoseconds within the millisecond (0..999999). */
export function formatCriLine(ms: number, nanos: number, stream: LogStream, tag: "F" | "P", content: string): string {
  const iso = new Date(ms).toISOString(); // 2025-12-03T14:00:00.123Z
  const fraction = `${iso.slice(20, 23)}${String(Math.max(0, Math.min(999_999, Math.floor(nanos)))).padStart(6, "0")}`;
  return `${iso.slice(0, 19)}.${fraction}Z ${stream} ${tag} ${content}\n`;
}

const linePattern = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z) (stdout|stderr) ([FP]) ?(.*)$/s;

/** One line without its newline; undefined when it is not a CRI line. */
export function parseCriLine(line: string): CriLine | undefined {
  const match = linePattern.exec(line);
  if (!match) return undefined;
  const time = Date.parse(match[1]!);
  if (Number.isNaN(time)) return undefined;
  return { time, timestamp: match[1]!, stream: match[2] as LogStream, partial: match[3] === "P", content: match[4]! };
}

/** The bytes `kubectl logs` prints for one line. */
export function renderCriLine(line: CriLine, timestamps: boolean): string {
  return `${timestamps ? `${line.timestamp} ` : ""}${line.content}${line.partial ? "" : "\n"}`;
}
