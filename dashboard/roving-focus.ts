/**
 * @module
 * One tab stop for a whole set of items (a DaemonSet's grid of 10,000 pods must not be 10,000
 * Tab presses): only one item is in the tab order (`tabindex=0`), the others `-1`; the arrow keys,
 * Home and End move between them, Up and Down by the visual row as the items wrap.
 */

export interface RovingFocus {
  /** Call after the items were redrawn: keeps the same item (by `key`) as the tab stop, and focused when `focus`. */
  update(focus?: boolean): void;
}

export function rovingFocus(container: HTMLElement, selector: string, key: (item: HTMLElement) => string): RovingFocus {
  let current = "";
  const items = () => [...container.querySelectorAll<HTMLElement>(selector)];

  function update(focus = false): void {
    const all = items();
    const active = all.find((item) => key(item) === current) ?? all[0];
    for (const item of all) item.tabIndex = item === active ? 0 : -1;
    if (active) current = key(active);
    if (focus) active?.focus();
  }

  /** The item in the next or previous visual row closest to `from` horizontally. */
  function vertical(all: HTMLElement[], from: HTMLElement, down: boolean): HTMLElement | undefined {
    const top = from.offsetTop;
    const left = from.offsetLeft;
    const rows = all.filter((item) => (down ? item.offsetTop > top : item.offsetTop < top));
    if (rows.length === 0) return undefined;
    const rowTop = down ? Math.min(...rows.map((i) => i.offsetTop)) : Math.max(...rows.map((i) => i.offsetTop));
    return rows.filter((i) => i.offsetTop === rowTop).reduce((best, i) => (Math.abs(i.offsetLeft - left) < Math.abs(best.offsetLeft - left) ? i : best));
  }

  container.addEventListener("keydown", (event) => {
    const all = items();
    const index = all.findIndex((item) => item === document.activeElement);
    if (index < 0) return;
    const from = all[index]!;
    const to =
      event.key === "ArrowRight" ? all[index + 1] :
      event.key === "ArrowLeft" ? all[index - 1] :
      event.key === "Home" ? all[0] :
      event.key === "End" ? all[all.length - 1] :
      event.key === "ArrowDown" || event.key === "ArrowUp" ? vertical(all, from, event.key === "ArrowDown") :
      undefined;
    if (!["ArrowRight", "ArrowLeft", "ArrowDown", "ArrowUp", "Home", "End"].includes(event.key)) return;
    event.preventDefault();
    if (!to) return;
    current = key(to);
    update(true);
  });
  container.addEventListener("focusin", (event) => {
    const item = (event.target as HTMLElement).closest<HTMLElement>(selector);
    if (item && container.contains(item) && key(item) !== current) {
      current = key(item);
      update();
    }
  });

  return { update };
}
