/**
 * @module
 * The DaemonSet page's edge rollout part: its `rollout.edgeset.dev/*` settings, the controller's
 * `Progressing` condition and held-back / offline / deferred counts when it wrote them, and for
 * admins Pause / Resume / Promote (annotation merge patches, each confirmed first).
 */
import { h } from "../dom.ts";
import { edgeSettings, isHeldBack, isPaused, pausePatch, progressingCondition, promotePatch, resumePatch, rolloutCountsOf } from "../model/edge-rollout.ts";
import type { DaemonSet } from "../model/types.ts";
import { table } from "./view.ts";

/** Sends a patch after the user confirmed it (the DaemonSet page's `act`). */
export type Act = (title: string, message: string, label: string, patch: () => string, contentType: string) => Promise<void>;

const mergePatch = "application/merge-patch+json";

/** What the section shows, as data (the page redraws it only when this changes). */
export const edgeRolloutKey = (ds: DaemonSet, admin: boolean) => ({ settings: edgeSettings(ds), counts: rolloutCountsOf(ds), progressing: progressingCondition(ds), admin });

export function renderEdgeRollout(ds: DaemonSet, admin: boolean, act: Act): (Node | null)[] {
  const name = ds.metadata.name;
  const settings = edgeSettings(ds);
  const counts = rolloutCountsOf(ds);
  const progressing = progressingCondition(ds);
  const paused = isPaused(ds);
  const button = (label: string, action: string, onclick: () => void) => h("button", { type: "button", class: "secondary", "data-rollout-action": action, onclick }, label);
  const controls = admin
    ? h(
        "div",
        { class: "actions" },
        paused
          ? button("Resume", "resume", () => act("Resume", `Resume the rollout of ${name}? Nodes are offered the new revision again.`, "Resume", resumePatch, mergePatch))
          : button("Pause", "pause", () => act("Pause", `Pause the rollout of ${name}? No further node is offered the new revision; nodes already updating finish.`, "Pause", pausePatch, mergePatch)),
        isHeldBack(ds)
          ? button("Promote", "promote", () => act("Promote", `Promote ${name} to every node? The pause, partition and selector are removed.`, "Promote", promotePatch, mergePatch))
          : null,
      )
    : null;
  const held = counts ? counts.held.filter(([, n]) => n > 0) : [];
  return [
    h("p", { class: "note", "data-rollout-state": paused ? "paused" : "running" }, paused ? "Paused: no further node is offered the new revision." : settings.length ? "Rolling out with the edge settings below." : "No edge settings: the rollout is Kubernetes' (docs/rollouts.md)."),
    progressing ? h("p", { class: "note", "data-condition": "Progressing" }, `Progressing ${progressing.status}: ${progressing.reason ?? ""}${progressing.message ? ` — ${progressing.message}` : ""}`) : null,
    settings.length ? table("Edge settings", ["Setting", "Value"], settings.map((s) => [s.name, s.value]), { "data-table": "edge-settings" }) : null,
    counts
      ? h(
          "ul",
          { class: "chips", "data-rollout-counts": "" },
          h("li", null, `updated ${counts.updated}/${counts.desired}`),
          counts.reasons.map(([key, value]) => h("li", { "data-count-of": key }, `${key} ${value}`)),
          h("li", { "data-count-of": "held" }, `held back ${held.reduce((n, [, v]) => n + v, 0)}${held.length ? ` (${held.map(([k, v]) => `${k} ${v}`).join(", ")})` : ""}`),
        )
      : null,
    controls,
  ];
}
