/**
 * @module
 * The dashboard's entry: sign-in, a hash router (`#/`, `#/daemonsets/<ns>/<name>`,
 * `#/nodes/<name>`) and the poller that refreshes the page in view every few seconds
 * (`?poll=<ms>` in the page address changes the period, 500 ms to 60 s).
 */
import { h, replace } from "./dom.ts";
import { resume, signOut, type Session } from "./session.ts";
import { daemonSetView } from "./views/daemonset.ts";
import { nodeView } from "./views/node.ts";
import { overviewView } from "./views/overview.ts";
import { signInView } from "./views/signin.ts";
import type { View, ViewContext } from "./views/view.ts";

const pollMs = Math.min(60_000, Math.max(500, Number(new URLSearchParams(location.search).get("poll")) || 3000));
const root = document.getElementById("app")!;

function route(session: Session): View {
  const [path = "", query = ""] = location.hash.replace(/^#/, "").split("?");
  const segments = path.split("/").filter(Boolean).map(decodeURIComponent);
  const ctx: ViewContext = { session, params: new URLSearchParams(query), navigate: (hash) => (location.hash = hash) };
  if (segments[0] === "daemonsets" && segments.length === 3) return daemonSetView(ctx, segments[1]!, segments[2]!);
  if (segments[0] === "nodes" && segments.length === 2) return nodeView(ctx, segments[1]!);
  return overviewView(ctx);
}

function start(session: Session): void {
  const main = h("main", { id: "main", tabindex: -1 });
  const who = h("span", { class: "who" }, session.user, h("span", { class: "role" }, session.groups.filter((g) => g !== "system:authenticated").join(", ")));
  const out = h("button", { type: "button", class: "secondary", onclick: () => (signOut(), location.reload()) }, "Sign out");
  replace(root, h("a", { href: "#main", class: "skip" }, "Skip to content"), h("header", null, h("a", { href: "#/", class: "brand" }, "edgeset"), h("nav", { class: "session" }, who, out)), main);

  let generation = 0;
  const show = () => {
    const mine = ++generation;
    const view = route(session);
    document.title = `${view.title} · edgeset`;
    replace(main, view.element);
    const loop = async () => {
      if (mine !== generation) return;
      await view.refresh();
      if (mine === generation) setTimeout(loop, document.hidden ? pollMs * 4 : pollMs);
    };
    void loop();
  };
  window.addEventListener("hashchange", show);
  show();
}

const session = await resume();
if (session) start(session);
else replace(root, signInView((s) => start(s)));
