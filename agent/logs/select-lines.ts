/**
 * @module
 * Which lines of a container's log `kubectl logs` shows (the kubelet's `ReadLogs`): lines at or
 * after `sinceTime`, then the last `tailLines` of those, rendered with or without timestamps, cut
 * at `limitBytes`. Pure: the files are read by the caller.
 */
import { type CriLine, parseCriLine, renderCriLine } from "./cri-line.ts";

export interface LineSelection {
  sinceTime?: number;
  tailLines?: number;
  timestamps: boolean;
}

/** The CRI lines of a file's text, oldest first, minus those before `sinceTime`; malformed lines are skipped. */
export function parseLogText(text: string, sinceTime?: number): CriLine[] {
  const lines: CriLine[] = [];
  for (const raw of text.split("\n")) {
    if (!raw) continue;
    const line = parseCriLine(raw);
    if (line && (sinceTime === undefined || line.time >= sinceTime)) lines.push(line);
  }
  return lines;
}

/**
 * The last `tail` lines, where a line is a run of partial lines ended by a full one (`--tail`
 * counts what the operator sees as lines).
 */
export function tailOf(lines: CriLine[], tail: number | undefined): CriLine[] {
  if (tail === undefined) return lines;
  if (tail <= 0) return [];
  const starts: number[] = [];
  for (let i = 0; i < lines.length; i++) if (i === 0 || !lines[i - 1]!.partial) starts.push(i);
  return starts.length <= tail ? lines : lines.slice(starts[starts.length - tail]);
}

/** A running byte budget for `--limit-bytes`: what may still be written of `text`. */
export class ByteBudget {
  private left: number;
  constructor(limit: number | undefined) {
    this.left = limit ?? Infinity;
  }
  get exhausted(): boolean {
    return this.left <= 0;
  }
  take(bytes: Uint8Array): Uint8Array {
    if (bytes.length <= this.left) {
      this.left -= bytes.length;
      return bytes;
    }
    const cut = bytes.subarray(0, Math.max(0, this.left));
    this.left = 0;
    return cut;
  }
}

export function renderLines(lines: CriLine[], timestamps: boolean): string {
  return lines.map((line) => renderCriLine(line, timestamps)).join("");
}
