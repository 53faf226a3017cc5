/**
 * @module
 * A tiny DOM builder: `h("a", { href: "#/", class: "x" }, "text")`. Text goes in as text nodes,
 * never as HTML, so names and messages from the API cannot inject markup. `on*` attributes given
 * a function become event listeners.
 */

export type Child = Node | string | number | null | undefined | false;
export type Attrs = Record<string, string | number | boolean | undefined | null | ((event: any) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs | null = null, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === "function") element.addEventListener(key.slice(2).toLowerCase(), value);
    else element.setAttribute(key, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

function append(parent: Element, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(typeof child === "string" || typeof child === "number" ? String(child) : child);
  }
}

/** Replaces an element's children. */
export function replace(parent: Element, ...children: (Child | Child[])[]): void {
  parent.replaceChildren();
  append(parent, children);
}

const shownKeys = new WeakMap<Element, string>();

/**
 * Replaces an element's children only when `key` (the data they show, as JSON) changed since the
 * last call: a poll that brings nothing new leaves the DOM, and the keyboard focus in it, alone.
 */
export function replaceIfChanged(parent: Element, key: unknown, build: () => Child | (Child | Child[])[], options: { keepFocusBy?: string } = {}): void {
  const json = JSON.stringify(key);
  if (shownKeys.get(parent) === json) return;
  shownKeys.set(parent, json);
  const focused = document.activeElement;
  const hadFocus = options.keepFocusBy !== undefined && focused !== null && parent.contains(focused);
  const focusKey = hadFocus ? focused.getAttribute(options.keepFocusBy!) : null;
  const built = build();
  replace(parent, ...(Array.isArray(built) ? built : [built]));
  // A redraw must not drop the keyboard focus to the page: back to the same control (by the
  // attribute), or the first control of the part when it is gone (Pause became Resume).
  if (hadFocus && !parent.contains(document.activeElement)) {
    const same = focusKey === null ? null : [...parent.querySelectorAll<HTMLElement>(`[${options.keepFocusBy}]`)].find((e) => e.getAttribute(options.keepFocusBy!) === focusKey);
    (same ?? parent.querySelector<HTMLElement>("button, a[href], input, select, textarea"))?.focus();
  }
}
