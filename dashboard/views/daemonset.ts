/**
 * @module
 * One DaemonSet: its rollout as a bar (updated, ready, available of desired) and a grid of its
 * pods coloured by revision and readiness, the revision history with change causes, its Events,
 * its edge rollout settings and counts, and, for callers allowed to patch DaemonSets, roll back,
 * restart, pause, resume and promote, each confirmed first.
 */
import { h, replaceIfChanged } from "../dom.ts";
import { ago } from "../model/fleet.ts";
import { ownedPods, ownedRevisions, percentOf, restartPatch, revisionHistory, rollbackPatch, rolloutBar, rolloutGrid, tallyGrid, type GridCell, type RolloutBar } from "../model/rollout.ts";
import type { ControllerRevision, DaemonSet, Event, Pod } from "../model/types.ts";
import { confirmAction } from "../confirm.ts";
import { podGrid } from "../pod-grid.ts";
import { virtualList } from "../virtual-list.ts";
import { edgeRolloutKey, renderEdgeRollout } from "./edge-rollout.ts";
import { encodePath, errorLine, section, table, type View, type ViewContext } from "./view.ts";

const strategicMerge = "application/strategic-merge-patch+json";

export function daemonSetView(ctx: ViewContext, namespace: string, name: string): View {
  const path = `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/daemonsets/${encodeURIComponent(name)}`;
  const error = errorLine();
  const summary = h("p", { class: "note" });
  const bar = h("div", { class: "rollout", "aria-live": "polite" });
  const openNode = (cell: GridCell) => ctx.navigate(`#/nodes/${encodePath(cell.node)}`);
  const grid = podGrid("Pods by node", openNode);
  const legend = h("div", { class: "legend" });
  const filter = ctx.params.get("pods") ?? "all";
  const podFilter = h(
    "select",
    { id: "pod-filter", onchange: () => ctx.navigate(`#/daemonsets/${encodePath(namespace, name)}${podFilter.value === "all" ? "" : `?pods=${podFilter.value}`}`) },
    Object.entries(podFilters).map(([value, text]) => h("option", { value, selected: value === filter }, text)),
  );
  const podList = virtualList<GridCell>("Pods by node", 36, (cell) =>
    h(
      "div",
      { class: "vrow" },
      h("a", { href: `#/nodes/${encodePath(cell.node)}`, class: "name" }, cell.node),
      h("span", { class: `swatch rev-${cell.revision % 6}${cell.current ? "" : " old"}` }, String(cell.revision)),
      h("span", { class: `badge ${cell.ready ? "state-Ready" : "state-NotReady"}` }, cell.ready ? "ready" : "not ready"),
      h("span", { class: "labels" }, cell.pod),
    ),
  );
  const podListNote = h("p", { class: "note" });
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
    section("Rollout", bar, grid.element, legend),
    section("Pods", h("p", { class: "pod-filter" }, h("label", { for: "pod-filter" }, "Show"), podFilter), podListNote, podList.element),
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
      renderPods(ownedPods(ds, podList.items), podList.truncated);
      replaceIfChanged(edge, edgeRolloutKey(ds, admin), () => renderEdgeRollout(ds, admin, act), { keepFocusBy: "data-rollout-action" });
      renderHistory();
      renderEvents(eventList.items);
    } catch (e) {
      error.show(e);
    }
  }

  let shownCells: GridCell[] = [];
  function renderPods(pods: Pod[], truncated: boolean): void {
    const cells = rolloutGrid(pods, revisions);
    // A poll that changed nothing leaves the grid, the list and the cursor alone.
    if (JSON.stringify(cells) !== JSON.stringify(shownCells)) {
      shownCells = cells;
      grid.setCells(cells);
      const listed = cells.filter(podFilterOf(filter));
      podList.setItems(listed);
      podListNote.textContent = `${listed.length} of ${cells.length} pods${truncated ? ` (the first ${cells.length}: narrow the DaemonSet's nodes to see the rest)` : ""}.`;
    }
    const tallies = tallyGrid(cells);
    replaceIfChanged(legend, tallies, () =>
      cells.length === 0
        ? h("p", { class: "note" }, "No pods yet.")
        : h(
            "ul",
            { class: "chips" },
            tallies.map((t) =>
              h(
                "li",
                { "data-legend-revision": t.revision, "data-current": String(t.current), "data-ready": t.ready, "data-not-ready": t.notReady },
                h("span", { class: `swatch rev-${t.revision % 6}${t.current ? "" : " old"}` }, String(t.revision)),
                ` revision ${t.revision}${t.current ? " (newest)" : ""}: ${t.ready} ready, ${t.notReady} not ready`,
              ),
            ),
          ),
    );
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

const podFilters = { all: "all pods", "not-ready": "not ready", old: "not on the newest revision" };
const podFilterOf = (filter: string) => (cell: GridCell) => (filter === "not-ready" ? !cell.ready : filter === "old" ? !cell.current : true);

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
