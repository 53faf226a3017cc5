/**
 * @module
 * How the CLI writes for a person or for a pipe: colours only when the stream is a terminal and
 * `NO_COLOR` is unset (https://no-color.org), progress on stderr only when it is a terminal (a
 * pipe or a log gets the result and nothing else), tables padded to their widest cell.
 *
 * @example
 * const paint = painter(process.stdout);
 * process.stdout.write(paint.green("Ready"));
 */

export interface Painter {
  enabled: boolean;
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

const sgr = (code: number, enabled: boolean) => (text: string) => (enabled ? `\x1b[${code}m${text}\x1b[0m` : text);

export function painter(stream: { isTTY?: boolean }, env: Record<string, string | undefined> = process.env): Painter {
  const enabled = Boolean(stream.isTTY) && !env.NO_COLOR;
  return { enabled, green: sgr(32, enabled), yellow: sgr(33, enabled), red: sgr(31, enabled), bold: sgr(1, enabled), dim: sgr(2, enabled) };
}

/** Visible width: escape sequences take no room. */
const width = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "").length;

export function renderTable(rows: readonly (readonly string[])[]): string {
  if (!rows.length) return "";
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => width(r[i] ?? ""))));
  return rows.map((row) => `${row.map((cell, i) => cell + " ".repeat(widths[i]! - width(cell))).join("   ").trimEnd()}\n`).join("");
}

export interface Progress {
  update(text: string): void;
  done(): void;
}

/** One line on stderr, rewritten in place; nothing at all when stderr is not a terminal. */
export function progress(stream: { isTTY?: boolean; write(text: string): unknown } = process.stderr): Progress {
  if (!stream.isTTY) return { update() {}, done() {} };
  let shown = false;
  return {
    update(text) {
      stream.write(`\r\x1b[2K${text}`);
      shown = true;
    },
    done() {
      if (shown) stream.write("\r\x1b[2K");
      shown = false;
    },
  };
}
