/**
 * @module
 * The node page's Logs part: pick a pod's container and a number of lines, and read them through
 * pods/log. Read on request, never by the poller: each read makes the device open a session at its
 * next sync, so the wait (up to one sync interval) is said while it lasts, and a failure is said
 * in words (model/logs.ts) with the API's Status after it.
 */
import { ApiFailure } from "../api.ts";
import { h } from "../dom.ts";
import { boundTailLines, logFailureText, logPath, logTargets, maxTailLines, type LogTarget } from "../model/logs.ts";
import type { Pod } from "../model/types.ts";
import type { Session } from "../session.ts";
import { errorText } from "./view.ts";

export interface NodeLogs {
  element: HTMLElement;
  /** The node's pods, from each refresh: the choices follow them, the choice stays when it still exists. */
  setPods(pods: readonly Pod[]): void;
  /** Reads the pod's first container now (the Logs button of its row), and moves the focus to the log controls. */
  show(pod: Pod): void;
}

export function nodeLogs(session: Session, node: string): NodeLogs {
  let targets: LogTarget[] = [];
  let shown = "";
  let pending: AbortController | undefined;
  const select = h("select", { id: "log-target", name: "container" });
  const lines = h("input", { id: "log-lines", name: "tailLines", type: "number", min: 1, max: maxTailLines, value: 200, inputmode: "numeric" });
  const button = h("button", { type: "submit" }, "Show logs");
  const status = h("p", { class: "note", "aria-live": "polite" });
  const failure = h("p", { class: "error", role: "alert", hidden: true, "data-log-error": "" });
  const output = h("pre", { class: "log", tabindex: 0, "aria-label": "Log lines", hidden: true });

  async function read(): Promise<void> {
    const target = targets.find((t) => t.id === select.value);
    if (!target) return;
    pending?.abort();
    const mine = (pending = new AbortController());
    const tail = boundTailLines(lines.value);
    lines.value = String(tail);
    failure.hidden = true;
    status.textContent = `Waiting for ${node} to connect and send the last ${tail} lines of ${target.id} (it learns of the request at its next sync)…`;
    try {
      const text = await session.api.text(logPath(target, tail), mine.signal);
      if (mine !== pending) return;
      output.textContent = text;
      output.hidden = false;
      output.dataset.target = target.id;
      status.textContent = text ? `The last ${tail === 1 ? "line" : `${tail} lines`} of ${target.id}, read ${new Date().toLocaleTimeString()}.` : `${target.id} has written nothing yet.`;
    } catch (e) {
      if (mine !== pending) return;
      status.textContent = "";
      output.hidden = true;
      failure.textContent = e instanceof ApiFailure ? logFailureText(e.status, e.reason, e.message, node) : `No logs: ${errorText(e)}`;
      failure.hidden = false;
    }
  }

  const form = h(
    "form",
    {
      class: "log-controls",
      onsubmit: (event: Event) => {
        event.preventDefault();
        void read();
      },
    },
    h("label", { for: "log-target" }, "Container"),
    select,
    h("label", { for: "log-lines" }, "Lines"),
    lines,
    button,
  );
  const element = h("div", { class: "logs" }, form, status, failure, output);

  return {
    element,
    show(pod) {
      const target = targets.find((t) => t.pod === pod.metadata.name && t.namespace === (pod.metadata.namespace ?? "default"));
      if (!target) return;
      select.value = target.id;
      select.focus();
      select.scrollIntoView({ block: "nearest" });
      void read();
    },
    setPods(pods) {
      const next = logTargets(pods);
      const ids = next.map((t) => t.id).join("\n");
      targets = next;
      form.hidden = next.length === 0;
      if (next.length === 0) status.textContent = "No containers to read logs from.";
      else if (status.textContent === "No containers to read logs from.") status.textContent = "";
      if (ids === shown) return;
      shown = ids;
      const chosen = select.value;
      select.replaceChildren(...next.map((t) => h("option", { value: t.id }, t.id)));
      if (next.some((t) => t.id === chosen)) select.value = chosen;
    },
  };
}
