/** What every page is: an element, and a refresh the poller calls until the page is left. */
import { ApiFailure } from "../api.ts";
import { h } from "../dom.ts";
import type { Session } from "../session.ts";

export interface View {
  title: string;
  element: HTMLElement;
  refresh(): Promise<void>;
}

export interface ViewContext {
  session: Session;
  /** The query of the route (`#/?labelSelector=site%3Dx`). */
  params: URLSearchParams;
  /** Moves to another route (the hash). */
  navigate(hash: string): void;
}

export const errorText = (error: unknown) => (error instanceof ApiFailure ? `${error.status} ${error.reason}: ${error.message}` : String(error instanceof Error ? error.message : error));

/** A role="alert" line that shows the last failure until the next success. */
export function errorLine(): { element: HTMLElement; show(error: unknown): void; clear(): void } {
  const element = h("p", { class: "error", role: "alert", hidden: true });
  return {
    element,
    show(error) {
      element.textContent = errorText(error);
      element.hidden = false;
    },
    clear() {
      element.hidden = true;
    },
  };
}

export const section = (title: string, ...children: (Node | null)[]) => h("section", { "aria-label": title }, h("h2", null, title), ...children);

export const table = (caption: string, head: string[], rows: (Node | string)[][], attrs: Record<string, string> = {}) =>
  h(
    "div",
    { class: "table-wrap" },
    h("table", attrs, h("caption", { class: "visually-hidden" }, caption), h("thead", null, h("tr", null, head.map((c) => h("th", { scope: "col" }, c)))), h("tbody", null, rows.map((r) => h("tr", null, r.map((c) => h("td", null, c)))))),
  );

export const encodePath = (...segments: string[]) => segments.map(encodeURIComponent).join("/");
