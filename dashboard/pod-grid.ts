/**
 * @module
 * A DaemonSet's pods as squares on one canvas, by node: the colour is the revision, filled when
 * ready, an outline when not, faded when not the newest revision. However many pods, the grid is
 * one element drawn in one pass, and one tab stop: the arrow keys move a cursor (Up and Down by the
 * visual row), Page Up / Page Down by ten rows, Home and End to the ends, Enter opens the cursor's
 * node. The cursor's pod is said in a live line under the grid and kept in the canvas's
 * `data-node`; a click opens the square's node, and hovering names it.
 *
 * @example
 * const grid = podGrid("Pods by node", (cell) => (location.hash = `#/nodes/${cell.node}`));
 * grid.setCells(rolloutGrid(pods, revisions));
 */
import { h } from "./dom.ts";
import type { GridCell } from "./model/rollout.ts";

export interface PodGrid {
  element: HTMLElement;
  setCells(cells: readonly GridCell[]): void;
}

export const describeCell = (cell: GridCell) => `${cell.node}: revision ${cell.revision}${cell.current ? "" : " (not the newest)"}, ${cell.ready ? "ready" : "not ready"}`;

/** Squares shrink as the fleet grows, so that thousands of nodes still fit in a glance. */
export function cellSize(count: number): { size: number; gap: number } {
  if (count <= 400) return { size: 28, gap: 4 };
  if (count <= 2500) return { size: 14, gap: 2 };
  return { size: 8, gap: 1 };
}

const pageRows = 10;

export function podGrid(label: string, open: (cell: GridCell) => void): PodGrid {
  let cells: readonly GridCell[] = [];
  let cursor = 0;
  let columns = 1;
  const canvas = h("canvas", { tabindex: 0, role: "group", "aria-roledescription": "pod grid", "aria-label": `${label} (arrow keys move, Enter opens the node)` });
  const status = h("p", { class: "grid-cursor note", "aria-live": "polite" });
  const box = h("div", { class: "grid-box" }, canvas);
  const element = h("div", { class: "grid", "data-pods": 0 }, box, status);
  canvas.setAttribute("aria-describedby", (status.id = `grid-cursor-${Math.random().toString(36).slice(2)}`));

  function draw(): void {
    const { size, gap } = cellSize(cells.length);
    const step = size + gap;
    const width = Math.max(step, box.clientWidth);
    columns = Math.max(1, Math.floor((width + gap) / step));
    const rows = Math.ceil(cells.length / columns);
    const ratio = window.devicePixelRatio || 1;
    canvas.style.width = `${columns * step}px`;
    canvas.style.height = `${Math.max(0, rows * step)}px`;
    canvas.width = Math.ceil(columns * step * ratio);
    canvas.height = Math.ceil(rows * step * ratio);
    const g = canvas.getContext("2d");
    if (!g) return;
    g.scale(ratio, ratio);
    const css = getComputedStyle(document.documentElement);
    const colours = Array.from({ length: 6 }, (_, i) => css.getPropertyValue(`--rev${i}`).trim() || "#555");
    const card = css.getPropertyValue("--card").trim() || "#fff";
    const fg = css.getPropertyValue("--fg").trim() || "#000";
    const line = Math.max(1, Math.round(size / 9));
    if (size >= 20) g.setLineDash([4, 3]);
    g.font = `700 ${Math.round(size * 0.45)}px system-ui, sans-serif`;
    g.textAlign = "center";
    g.textBaseline = "middle";
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i]!;
      const x = (i % columns) * step;
      const y = Math.floor(i / columns) * step;
      const colour = colours[cell.revision % 6]!;
      g.globalAlpha = cell.current ? 1 : 0.5;
      if (cell.ready) {
        g.fillStyle = colour;
        g.fillRect(x, y, size, size);
      } else {
        g.fillStyle = card;
        g.fillRect(x, y, size, size);
        g.strokeStyle = colour;
        g.lineWidth = line;
        g.strokeRect(x + line / 2, y + line / 2, size - line, size - line);
      }
      if (size >= 20) {
        g.fillStyle = cell.ready ? "#fff" : fg;
        g.fillText(String(cell.revision), x + size / 2, y + size / 2 + 1);
      }
    }
    g.globalAlpha = 1;
    if (document.activeElement === canvas && cells[cursor]) {
      g.setLineDash([]);
      g.strokeStyle = css.getPropertyValue("--accent").trim() || "#000";
      g.lineWidth = 3;
      g.strokeRect((cursor % columns) * step - 1.5, Math.floor(cursor / columns) * step - 1.5, size + 3, size + 3);
    }
  }

  function showCursor(): void {
    const cell = cells[cursor];
    canvas.dataset.node = cell?.node ?? "";
    // Only a change is announced, not every poll.
    const text = cell ? describeCell(cell) : "";
    if (status.textContent !== text) status.textContent = text;
  }

  function moveTo(index: number): void {
    cursor = Math.max(0, Math.min(cells.length - 1, index));
    showCursor();
    draw();
    // Keep the cursor's square in the scrolled box.
    const { size, gap } = cellSize(cells.length);
    const top = Math.floor(cursor / columns) * (size + gap);
    if (top < box.scrollTop) box.scrollTop = top;
    else if (top + size > box.scrollTop + box.clientHeight) box.scrollTop = top + size - box.clientHeight;
  }

  const cellAt = (event: MouseEvent): number | undefined => {
    const { size, gap } = cellSize(cells.length);
    const rect = canvas.getBoundingClientRect();
    const column = Math.floor((event.clientX - rect.left) / (size + gap));
    const index = Math.floor((event.clientY - rect.top) / (size + gap)) * columns + column;
    return column < columns && index >= 0 && index < cells.length ? index : undefined;
  };

  canvas.addEventListener("keydown", (event) => {
    if (cells.length === 0) return;
    if (event.key === "Enter") return open(cells[cursor]!);
    const to = { ArrowRight: cursor + 1, ArrowLeft: cursor - 1, ArrowDown: cursor + columns, ArrowUp: cursor - columns, PageDown: cursor + columns * pageRows, PageUp: cursor - columns * pageRows, Home: 0, End: cells.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    // Up and Down stay in the column: off either end, the cursor stays put.
    if ((event.key === "ArrowDown" || event.key === "ArrowUp") && (to < 0 || to >= cells.length)) return;
    moveTo(to);
  });
  canvas.addEventListener("focus", draw);
  canvas.addEventListener("blur", draw);
  canvas.addEventListener("click", (event) => {
    const index = cellAt(event);
    if (index === undefined) return;
    moveTo(index);
    open(cells[index]!);
  });
  canvas.addEventListener("mousemove", (event) => {
    const index = cellAt(event);
    canvas.title = index === undefined ? "" : describeCell(cells[index]!);
  });
  new ResizeObserver(draw).observe(box);

  return {
    element,
    setCells(next) {
      // The cursor stays on the same pod across redraws (a poll, a rollout moving on).
      const pod = cells[cursor]?.pod;
      cells = next;
      const same = pod === undefined ? -1 : cells.findIndex((c) => c.pod === pod);
      cursor = same >= 0 ? same : Math.min(cursor, Math.max(0, cells.length - 1));
      element.dataset.pods = String(cells.length);
      showCursor();
      draw();
    },
  };
}
