/**
 * @module
 * One device: its labels, taints and conditions, and its pods (DaemonSet and static) with their
 * status, restarts and probe results, and their containers' logs (read on request).
 */
import { h, replace, replaceIfChanged } from "../dom.ts";
import { ago, nodeState } from "../model/fleet.ts";
import { isPodReady } from "../model/rollout.ts";
import type { Lease, Node as KubeNode, Pod } from "../model/types.ts";
import { ApiFailure } from "../api.ts";
import { nodeLogs } from "./node-logs.ts";
import { encodePath, errorLine, section, table, type View, type ViewContext } from "./view.ts";

const mirrorAnnotation = "kubernetes.io/config.mirror";

export function nodeView(ctx: ViewContext, name: string): View {
  const error = errorLine();
  const header = h("p", { class: "note" });
  const labels = h("div");
  const taints = h("div");
  const conditions = h("div");
  const pods = h("div");
  const logs = nodeLogs(ctx.session, name);
  const element = h(
    "div",
    { class: "node" },
    h("p", { class: "crumbs" }, h("a", { href: "#/" }, "Fleet"), " / Node"),
    h("h1", null, name),
    header,
    error.element,
    section("Labels", labels),
    section("Taints", taints),
    section("Conditions", conditions),
    section("Pods", pods),
    section("Logs", logs.element),
  );

  async function refresh(): Promise<void> {
    try {
      const [node, podList, lease] = await Promise.all([
        ctx.session.api.get<KubeNode>(`/api/v1/nodes/${encodeURIComponent(name)}`),
        ctx.session.api.list<Pod>("/api/v1/pods", { fieldSelector: `spec.nodeName=${name}` }, 500),
        ctx.session.api.get<Lease>(`/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${encodeURIComponent(name)}`).catch((e) => (e instanceof ApiFailure && e.status === 404 ? undefined : Promise.reject(e))),
      ]);
      error.clear();
      const now = Date.now();
      const seen = lease?.spec.renewTime ? Date.parse(lease.spec.renewTime) : undefined;
      const info = node.status?.nodeInfo;
      replace(header, h("span", { class: `badge state-${nodeState(node)}` }, nodeState(node)), node.spec.unschedulable ? h("span", { class: "badge cordoned" }, "cordoned") : null, ` last seen ${ago(seen, now)}`, info ? ` · ${[info.osImage, info.architecture, info.kubeletVersion].filter(Boolean).join(" · ")}` : "");
      const labelEntries = Object.entries(node.metadata.labels ?? {}).sort(([a], [b]) => a.localeCompare(b));
      replaceIfChanged(labels, labelEntries, () => labelEntries.length ? h("ul", { class: "chips" }, labelEntries.map(([k, v]) => h("li", null, `${k}=${v}`))) : h("p", { class: "note" }, "No labels."));
      const taintList = node.spec.taints ?? [];
      replaceIfChanged(taints, taintList, () => taintList.length ? table("Taints", ["Key", "Value", "Effect"], taintList.map((t) => [t.key, t.value ?? "", t.effect])) : h("p", { class: "note" }, "No taints."));
      replaceIfChanged(conditions, node.status?.conditions, () => table("Conditions", ["Type", "Status", "Reason", "Since", "Message"], (node.status?.conditions ?? []).map((c) => [c.type, c.status, c.reason ?? "", ago(c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : undefined, now), c.message ?? ""])));
      replaceIfChanged(pods, podList.items.map((p) => [p.metadata.name, p.metadata.resourceVersion]), () => renderPods(podList.items, (pod) => logs.show(pod)));
      logs.setPods(podList.items);
    } catch (e) {
      error.show(e);
    }
  }

  return { title: `Node ${name}`, element, refresh };
}

function ownerOf(pod: Pod): Node | string {
  if (pod.metadata.annotations?.[mirrorAnnotation]) return "static pod";
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller);
  if (owner?.kind === "DaemonSet") return h("a", { href: `#/daemonsets/${encodePath(pod.metadata.namespace ?? "default", owner.name)}` }, owner.name);
  return owner ? `${owner.kind} ${owner.name}` : "";
}

/** Per container: whether its readiness, liveness and startup probes pass, as the agent reports them. */
export function probeSummary(pod: Pod): string {
  return pod.spec.containers
    .map((c) => {
      const status = pod.status?.containerStatuses?.find((s) => s.name === c.name);
      const parts: string[] = [];
      if (c.startupProbe) parts.push(`startup ${status?.started ? "passed" : "pending"}`);
      if (c.readinessProbe) parts.push(`readiness ${status?.ready ? "passing" : "failing"}`);
      if (c.livenessProbe) parts.push(`liveness ${status?.state?.running ? "passing" : "failing"}`);
      return parts.length ? `${c.name}: ${parts.join(", ")}` : "";
    })
    .filter(Boolean)
    .join("; ") || "no probes";
}

function renderPods(list: Pod[], showLogs: (pod: Pod) => void): HTMLElement {
  if (list.length === 0) return h("p", { class: "note" }, "No pods on this node.");
  return table(
    "Pods",
    ["Name", "Namespace", "Owner", "Status", "Ready", "Restarts", "Probes", ""],
    list.map((pod) => {
      const statuses = pod.status?.containerStatuses ?? [];
      const waiting = statuses.find((s) => s.state?.waiting?.reason)?.state?.waiting?.reason;
      return [
        pod.metadata.name,
        pod.metadata.namespace ?? "",
        ownerOf(pod),
        waiting ?? pod.status?.phase ?? "Pending",
        `${statuses.filter((s) => s.ready).length}/${pod.spec.containers.length}${isPodReady(pod) ? "" : " (not ready)"}`,
        String(statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0)),
        probeSummary(pod),
        h("button", { type: "button", class: "secondary", "data-logs-for": pod.metadata.name, "aria-label": `Logs of ${pod.metadata.name}`, onclick: () => showLogs(pod) }, "Logs"),
      ];
    }),
    { "data-table": "pods" },
  );
}
