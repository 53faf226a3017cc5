/**
 * @module
 * One DaemonSet: its rollout as a bar (updated, ready, available of desired) and a grid of its
 * pods coloured by revision and readiness, the revision history with change causes, its Events,
 * its edge rollout settings and counts, and, for callers allowed to patch DaemonSets, roll back,
 * restart, pause, resume and promote, each confirmed first.
 */
import { h, replaceIfChanged } from "../dom.ts";
import { ago } from "../model/fleet.ts";
import { ownedPods, ownedRevisions, percentOf, restartPatch, revisionHistory, rollbackPatch, rolloutBar, rolloutGrid, type RolloutBar } from "../model/rollout.ts";
import type { ControllerRevision, DaemonSet, Event, Pod } from "../model/types.ts";
import { confirmAction } from "../confirm.ts";
import { rovingFocus } from "../roving-focus.ts";
import { edgeRolloutKey, renderEdgeRollout } from "./edge-rollout.ts";
import { encodePath, errorLine, section, table, type View, type ViewContext } from "./view.ts";

const strategicMerge = "application/strategic-merge-patch+json";

export function daemonSetView(ctx: ViewContext, namespace: string, name: string): View {
  const path = `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/daemonsets/${encodeURIComponent(name)}`;
  const error = errorLine();
  const summary = h("p", { class: "note" });
  const bar = h("div", { class: "rollout", "aria-live": "polite" });
  const grid = h("div", { class: "grid", role: "list", "aria-label": "Pods by node (arrow keys move between them)" });
  // One tab stop for the whole grid, however many nodes: the arrow keys move inside it.
  const gridFocus = rovingFocus(grid, ".cell", (cell) => cell.dataset.pod ?? "");
  const history = h("div");
  const events = h("div");
  const edge = h("div", { class: "edge-rollout" });
  const actions = h("div", { class: "admin-actions", hidden: true });
  let admin = false;
  let revisions: ControllerRevision[] = [];

  const element = h(
    "div",
    { class: "daemonset" },
    h("p", { class: "crumbs" }, h("a", { href: "#/" }, "Fleet"), " / DaemonSet"),
    h("h1", null, name, h("span", { class: "ns" }, ` in ${namespace}`)),
    summary,
    error.element,
    actions,
    section("Rollout", bar, grid),
    section("Edge rollout", edge),
    section("Revision history", history),
    section("Events", events),
  );

  async function act(title: string, message: string, label: string, patch: () => string, contentType = strategicMerge): Promise<void> {
    if (!(await confirmAction(title, message, label))) return;
    const from = document.activeElement?.closest("section, .admin-actions");
    try {
      await ctx.session.api.send("PATCH", path, patch(), contentType);
      error.clear();
      await refresh();
      // The redraw may have removed the focused button (Pause becomes Resume): keep the focus in its part of the page.
      if (from && !element.contains(document.activeElement)) from.querySelector<HTMLElement>("button, a")?.focus();
    } catch (e) {
      error.show(e);
    }
  }

  const restart = h("button", { type: "button", class: "danger", onclick: () => act("Restart", `Restart every pod of ${name}? They are replaced as the update strategy allows.`, "Restart", () => restartPatch(new Date())) }, "Restart");
  actions.append(restart);

  async function refresh(): Promise<void> {
    try {
      const ds = await ctx.session.api.get<DaemonSet>(path);
      // The server narrows the pods to the selector's; ownedPods keeps those the DaemonSet controls.
      const matchLabels = Object.entries(ds.spec.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(",");
      const [podList, revisionList, eventList, canPatch] = await Promise.all([
        ctx.session.api.list<Pod>(`/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`, matchLabels ? { labelSelector: matchLabels } : {}),
        ctx.session.api.list<ControllerRevision>(`/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/controllerrevisions`),
        ctx.session.api.list<Event>(`/api/v1/namespaces/${encodeURIComponent(namespace)}/events`, { fieldSelector: `involvedObject.kind=DaemonSet,involvedObject.name=${name}` }, 200),
        ctx.session.can("patch", "apps", "daemonsets", namespace),
      ]);
      error.clear();
      admin = canPatch;
      actions.hidden = !admin;
      revisions = ownedRevisions(ds, revisionList.items);
      summary.textContent = `${ds.spec.updateStrategy?.type ?? "RollingUpdate"} · generation ${ds.metadata.generation ?? 0} (observed ${ds.status?.observedGeneration ?? 0})`;
      const progress = rolloutBar(ds);
      replaceIfChanged(bar, progress, () => renderBar(progress));
      renderGrid(ownedPods(ds, podList.items));
      replaceIfChanged(edge, edgeRolloutKey(ds, admin), () => renderEdgeRollout(ds, admin, act), { keepFocusBy: "data-rollout-action" });
      renderHistory();
      renderEvents(eventList.items);
    } catch (e) {
      error.show(e);
    }
  }

  function renderGrid(pods: Pod[]): void {
    const cells = rolloutGrid(pods, revisions);
    const focused = grid.contains(document.activeElement);
    replaceIfChanged(grid, cells, () => [
      cells.length === 0 ? h("p", { class: "note" }, "No pods yet.") : null,
      cells.map((cell) =>
        h(
          "a",
          {
            role: "listitem",
            href: `#/nodes/${encodePath(cell.node)}`,
            class: `cell rev-${cell.revision % 6} ${cell.current ? "current" : "old"} ${cell.ready ? "ready" : "notready"}`,
            "data-node": cell.node,
            "data-pod": cell.pod,
            "data-revision": cell.revision,
            "data-ready": String(cell.ready),
            title: `${cell.node}: revision ${cell.revision}, ${cell.ready ? "ready" : "not ready"}`,
          },
          h("span", { class: "visually-hidden" }, `${cell.node}: revision ${cell.revision}, ${cell.ready ? "ready" : "not ready"}`),
          h("span", { "aria-hidden": "true" }, String(cell.revision)),
        ),
      ),
    ]);
    gridFocus.update(focused && !grid.contains(document.activeElement));
  }

  function renderHistory(): void {
    const entries = revisionHistory(revisions);
    const byNumber = new Map(revisions.map((r) => [r.revision, r]));
    const now = Date.now();
    replaceIfChanged(history, { entries, admin }, () =>
      table(
        "Revision history",
        ["Revision", "Change cause", "Created", ""],
        entries.map((e) => [
          h("span", { class: `swatch rev-${e.revision % 6}` }, String(e.revision)),
          e.changeCause || "<none>",
          ago(e.created ? Date.parse(e.created) : undefined, now),
          e.current
            ? h("span", { class: "badge" }, "current")
            : admin
              ? h(
                  "button",
                  {
                    type: "button",
                    class: "secondary",
                    "data-rollback": e.revision,
                    onclick: () => act("Roll back", `Roll ${name} back to revision ${e.revision}${e.changeCause ? ` (${e.changeCause})` : ""}?`, "Roll back", () => rollbackPatch(byNumber.get(e.revision)!)),
                  },
                  `Roll back to ${e.revision}`,
                )
              : "",
        ]),
        { "data-table": "history" },
      ),
    );
  }

  function renderEvents(list: Event[]): void {
    const now = Date.now();
    const when = (e: Event) => Date.parse(e.lastTimestamp || e.eventTime || e.firstTimestamp || e.metadata.creationTimestamp || "") || 0;
    const sorted = [...list].sort((a, b) => when(b) - when(a)).slice(0, 50);
    replaceIfChanged(events, sorted, () => sorted.length === 0 ? h("p", { class: "note" }, "No events.") : table("Events", ["Type", "Reason", "Age", "Message"], sorted.map((e) => [e.type ?? "", e.reason ?? "", ago(when(e) || undefined, now), `${e.message ?? ""}${(e.count ?? 1) > 1 ? ` (×${e.count})` : ""}`])));
  }

  return { title: `DaemonSet ${name}`, element, refresh };
}

function renderBar(b: RolloutBar): HTMLElement {
  const meter = (kind: string, label: string, value: number) =>
    h(
      "div",
      { class: `meter meter-${kind}`, "data-kind": kind, "data-value": value, "data-desired": b.desired },
      h("span", { class: "meter-label" }, `${label} ${value}/${b.desired}`),
      h("div", { class: "meter-track", role: "progressbar", "aria-label": label, "aria-valuemin": 0, "aria-valuemax": b.desired, "aria-valuenow": value }, h("div", { class: "meter-fill", style: `width:${percentOf(value, b.desired)}%` })),
    );
  return h("div", { class: "bar", "data-complete": String(b.complete) }, meter("updated", "Updated", b.updated), meter("ready", "Ready", b.ready), meter("available", "Available", b.available), h("p", { class: "note" }, b.complete ? "Rollout complete." : "Rollout in progress."));
}
