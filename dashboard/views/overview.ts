/**
 * @module
 * The fleet overview: nodes by state and by a label, the pods of each DaemonSet, and every node
 * in a virtually scrolled list with its last sync. The label selector is applied by the server
 * (`labelSelector`), the list read in pages (`limit`/`continue`).
 */
import { h, replaceIfChanged } from "../dom.ts";
import { ago, countNodes, daemonSetRow, groupByLabel, lastSeenByNode, nodeState, type DaemonSetRow, type LabelGroup } from "../model/fleet.ts";
import type { DaemonSet, Lease, Node as KubeNode } from "../model/types.ts";
import { virtualList } from "../virtual-list.ts";
import { encodePath, errorLine, section, table, type View, type ViewContext } from "./view.ts";

const shownLabels = ["site", "hardware"];

export function overviewView(ctx: ViewContext): View {
  const selector = ctx.params.get("labelSelector") ?? "";
  const groupKey = ctx.params.get("groupBy") || "site";
  const error = errorLine();
  const selectorInput = h("input", { id: "label-selector", name: "labelSelector", value: selector, placeholder: "site=berlin,hardware in (pi4)", autocomplete: "off", spellcheck: "false" });
  const groupInput = h("input", { id: "group-by", name: "groupBy", value: groupKey, autocomplete: "off", spellcheck: "false" });
  const filters = h(
    "form",
    {
      class: "filters",
      role: "search",
      onsubmit: (event: Event) => {
        event.preventDefault();
        const query = new URLSearchParams();
        if (selectorInput.value.trim()) query.set("labelSelector", selectorInput.value.trim());
        if (groupInput.value.trim() && groupInput.value.trim() !== "site") query.set("groupBy", groupInput.value.trim());
        ctx.navigate(`#/${query.size ? `?${query}` : ""}`);
      },
    },
    h("label", { for: "label-selector" }, "Label selector"),
    selectorInput,
    h("label", { for: "group-by" }, "Group by label"),
    groupInput,
    h("button", { type: "submit" }, "Apply"),
  );
  const counts = h("div", { class: "counts", "aria-live": "polite" });
  const groups = h("div");
  const daemonSets = h("div");
  const truncated = h("p", { class: "note", hidden: true });
  let lastSeen = new Map<string, number>();
  const nodes = virtualList<KubeNode>("Nodes", 44, (node) => {
    const state = nodeState(node);
    return h(
      "div",
      { class: "vrow" },
      h("a", { href: `#/nodes/${encodePath(node.metadata.name)}`, class: "name" }, node.metadata.name),
      h("span", { class: `badge state-${state}` }, state),
      node.spec.unschedulable ? h("span", { class: "badge cordoned" }, "cordoned") : null,
      h("span", { class: "labels" }, shownLabels.filter((k) => node.metadata.labels?.[k]).map((k) => `${k}=${node.metadata.labels![k]}`).join(" ")),
      h("span", { class: "seen" }, ago(lastSeen.get(node.metadata.name), Date.now())),
    );
  });

  const element = h(
    "div",
    { class: "overview" },
    h("h1", null, "Fleet"),
    filters,
    error.element,
    counts,
    section(`Nodes by ${groupKey}`, groups),
    section("DaemonSets", daemonSets),
    section("Nodes", truncated, nodes.element),
  );

  async function refresh(): Promise<void> {
    const params: Record<string, string> = selector ? { labelSelector: selector } : {};
    try {
      const [nodeList, leaseList, dsList] = await Promise.all([
        ctx.session.api.list<KubeNode>("/api/v1/nodes", params),
        ctx.session.api.list<Lease>("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases"),
        ctx.session.api.list<DaemonSet>("/apis/apps/v1/daemonsets"),
      ]);
      error.clear();
      lastSeen = lastSeenByNode(leaseList.items);
      renderCounts(nodeList.items);
      const groupRows = groupByLabel(nodeList.items, groupKey);
      replaceIfChanged(groups, groupRows, () => renderGroups(groupRows, groupKey));
      const dsRows = dsList.items.map(daemonSetRow);
      replaceIfChanged(daemonSets, dsRows, () => renderDaemonSets(dsRows));
      truncated.hidden = !nodeList.truncated;
      truncated.textContent = nodeList.truncated ? `Showing the first ${nodeList.items.length} nodes; narrow the label selector to see the others.` : "";
      // Only the rows in view are rendered, so a refresh costs the same for 10 or 10,000 nodes.
      nodes.setItems(nodeList.items);
    } catch (e) {
      error.show(e);
    }
  }

  function renderCounts(list: KubeNode[]): void {
    const c = countNodes(list);
    const card = (label: string, value: number, kind: string) => h("div", { class: `count count-${kind}`, "data-count": kind }, h("span", { class: "value" }, value), h("span", { class: "label" }, label));
    replaceIfChanged(counts, c, () => [card("Nodes", c.total, "total"), card("Ready", c.Ready, "Ready"), card("NotReady", c.NotReady, "NotReady"), card("Unknown", c.Unknown, "Unknown"), card("Cordoned", c.cordoned, "cordoned")]);
  }

  return { title: "Fleet", element, refresh };
}

function renderGroups(groups: LabelGroup[], key: string): HTMLElement {
  return table(`Nodes by ${key}`, [key, "Nodes", "Ready"], groups.map((g) => [g.value, String(g.total), String(g.ready)]), { "data-table": "groups" });
}

function renderDaemonSets(list: DaemonSetRow[]): HTMLElement {
  if (list.length === 0) return h("p", { class: "note" }, "No DaemonSets yet: kubectl apply -f examples/hello-daemonset.yaml");
  return table(
    "DaemonSets",
    ["Name", "Namespace", "Desired", "Current", "Ready", "Up-to-date", "Available"],
    list.map((r) => [h("a", { href: `#/daemonsets/${encodePath(r.namespace, r.name)}` }, r.name), r.namespace, String(r.desired), String(r.current), String(r.ready), String(r.updated), String(r.available)]),
    { "data-table": "daemonsets" },
  );
}
