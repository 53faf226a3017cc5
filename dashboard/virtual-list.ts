/**
 * @module
 * A virtually scrolled list: however many rows, only those in view (and a few either side) are in
 * the DOM, each `rowHeight` pixels tall. Up and Down arrows, Home and End move the focus from row
 * to row, scrolling as they go, so 10,000 nodes stay usable by keyboard.
 */
import { h } from "./dom.ts";

export interface VirtualList<T> {
  element: HTMLElement;
  setItems(items: readonly T[]): void;
}

const overscan = 8;

export function virtualList<T>(label: string, rowHeight: number, renderRow: (item: T, index: number) => HTMLElement): VirtualList<T> {
  let items: readonly T[] = [];
  const spacer = h("div", { class: "vlist-spacer" });
  const viewport = h("div", { class: "vlist", role: "list", "aria-label": label, tabindex: 0 }, spacer);

  /** The row holding the focus, if it is in this list. */
  const focusedIndex = (): number | undefined => {
    const row = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>("[data-index]");
    return row && spacer.contains(row) ? Number(row.dataset.index) : undefined;
  };

  // A re-render (a scroll, a poll) keeps the focus on the row that had it.
  function render(focusIndex = focusedIndex()): void {
    spacer.style.height = `${items.length * rowHeight}px`;
    // As tall as its rows, up to the CSS max-height; then it scrolls.
    viewport.style.height = `${Math.max(1, items.length) * rowHeight + 2}px`;
    const first = Math.max(0, Math.floor(viewport.scrollTop / rowHeight) - overscan);
    const last = Math.min(items.length, Math.ceil((viewport.scrollTop + viewport.clientHeight) / rowHeight) + overscan);
    const rows: HTMLElement[] = [];
    for (let i = first; i < last; i++) {
      const row = renderRow(items[i]!, i);
      row.setAttribute("role", "listitem");
      row.dataset.index = String(i);
      row.style.transform = `translateY(${i * rowHeight}px)`;
      row.style.height = `${rowHeight}px`;
      rows.push(row);
    }
    spacer.replaceChildren(...rows);
    if (focusIndex === undefined) return;
    const row = spacer.querySelector<HTMLElement>(`[data-index="${focusIndex}"]`);
    (row?.querySelector<HTMLElement>("a, button") ?? row)?.focus({ preventScroll: true });
  }

  function move(to: number): void {
    const index = Math.max(0, Math.min(items.length - 1, to));
    const top = index * rowHeight;
    if (top < viewport.scrollTop) viewport.scrollTop = top;
    else if (top + rowHeight > viewport.scrollTop + viewport.clientHeight) viewport.scrollTop = top + rowHeight - viewport.clientHeight;
    render(index);
  }

  viewport.addEventListener("scroll", () => render());
  viewport.addEventListener("keydown", (event) => {
    const current = focusedIndex() ?? -1;
    const page = Math.max(1, Math.floor(viewport.clientHeight / rowHeight) - 1);
    const to = { ArrowDown: current + 1, ArrowUp: current - 1, PageDown: current + page, PageUp: current - page, Home: 0, End: items.length - 1 }[event.key];
    if (to === undefined || items.length === 0) return;
    event.preventDefault();
    move(to);
  });
  new ResizeObserver(() => render()).observe(viewport);

  return {
    element: viewport,
    setItems(next) {
      items = next;
      if (viewport.scrollTop > items.length * rowHeight) viewport.scrollTop = 0;
      render();
    },
  };
}
