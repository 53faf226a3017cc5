/**
 * The dashboard in a real browser (Chromium through playwright-core) against the real Worker and
 * three real agents, plus a node without an agent: the overview's counts and its label filter, a
 * rollout's bar moving as pods become ready, a roll back from the page, a viewer who sees no admin
 * actions, pause / resume / promote, a device's logs (and the error when its device is offline),
 * a phone-width screen, and CORS from a second loopback origin. With
 * DASHBOARD_SCREENSHOTS=<dir> it saves the screenshots docs/dashboard.md shows.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildDashboard } from "../../scripts/lib/dashboard-bundle.ts";
import { killWorkloads, removeStateDir, startAgent, workloadContainer, type AgentProcess } from "../support/agents.ts";
import { launchChromium, serveStatic, type StaticSite } from "../support/browser.ts";
import { startControlPlane, type ControlPlane } from "../support/control-plane.ts";
import { waitFor } from "../support/wait.ts";

const marker = `e2e-dashboard-${process.pid}`;
const fleet = `dashboard-${process.pid}`;
const dsPath = (name: string) => `/apis/apps/v1/namespaces/default/daemonsets/${name}`;
const screenshots = process.env.DASHBOARD_SCREENSHOTS;

let cp: ControlPlane;
let browser: Browser;
let allowed: StaticSite;
let other: StaticSite;
const agents: AgentProcess[] = [];
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  // The bundle the Worker serves; built here so this file runs on its own too.
  await buildDashboard();
  const page = "<!doctype html><title>another origin</title>";
  [allowed, other] = await Promise.all([serveStatic(page), serveStatic(page)]);
  [cp, browser] = await Promise.all([startControlPlane({ vars: { CORS_ALLOWED_ORIGINS: allowed.origin } }), launchChromium()]);
  const sites = { "edge-1": "north", "edge-2": "north", "edge-3": "south" };
  agents.push(...(await Promise.all(Object.entries(sites).map(([nodeName, site]) => startAgent(cp, { nodeName, labels: { fleet, site, hardware: "pi4" } })))));
  // A node no agent syncs for: it never turns Ready.
  expect((await cp.api("POST", "/api/v1/nodes", { apiVersion: "v1", kind: "Node", metadata: { name: "edge-ghost", labels: { site: "south" } } })).status).toBe(201);
  await waitFor("three nodes Ready", async () => {
    const items = (await cp.api("GET", "/api/v1/nodes")).json().items;
    return items.filter((n: any) => n.status?.conditions?.some((c: any) => c.type === "Ready" && c.status === "True")).length === 3;
  });
  expect((await cp.mergePatch("/api/v1/nodes/edge-3", { spec: { unschedulable: true } })).status).toBe(200);
});

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  await browser?.close();
  await Promise.all(agents.map((agent) => agent.stop()));
  killWorkloads(marker);
  agents.forEach(removeStateDir);
  await Promise.all([cp?.stop(), allowed?.close(), other?.close()]);
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail") for (const c of contexts) for (const p of c.pages()) console.log(p.url(), (await p.locator("main").innerText().catch(() => "")).slice(0, 3000));
});

async function newPage(options: { width?: number } = {}): Promise<Page> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: options.width ?? 1200, height: 900 } });
  contexts.push(context);
  return context.newPage();
}

/** Opens the dashboard (polling every 500 ms) and signs in through the form. */
async function signIn(token: string, options: { width?: number; hash?: string } = {}): Promise<Page> {
  const page = await newPage(options);
  await page.goto(`${cp.url}/?poll=500${options.hash ?? "#/"}`);
  await page.locator("#token").fill(token);
  await page.locator("#token").press("Enter");
  await page.locator("header .who").waitFor();
  return page;
}

const shot = async (page: Page, name: string) => {
  if (!screenshots) return;
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
};

const count = (page: Page, kind: string) => page.locator(`[data-count="${kind}"] .value`).innerText();
const waitForText = (what: string, read: () => Promise<string>, want: string) => waitFor(what, async () => (await read()) === want, 30_000);

/** A DaemonSet on the three agents' nodes (or those `nodeSelector` picks), its container named by `version`. */
function daemonSet(name: string, version: string, nodeSelector: Record<string, string> = {}) {
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name, annotations: { "kubernetes.io/change-cause": `deploy ${version}` } },
    spec: {
      selector: { matchLabels: { app: name } },
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
      minReadySeconds: 1,
      template: { metadata: { labels: { app: name } }, spec: { nodeSelector: { fleet, ...nodeSelector }, terminationGracePeriodSeconds: 1, containers: [workloadContainer(`${marker}-${name}-${version}`)] } },
    },
  };
}

/** Each test makes its own DaemonSet, so that any one runs alone (`-t`) or in any company. */
async function createDaemonSet(name: string, version = "v1", nodeSelector: Record<string, string> = {}): Promise<void> {
  expect((await cp.api("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet(name, version, nodeSelector))).status).toBe(201);
}

/** A new template (what `kubectl set image` does), with its change cause. */
async function updateDaemonSet(name: string, version: string): Promise<void> {
  const patch = { metadata: { annotations: { "kubernetes.io/change-cause": `deploy ${version}` } }, spec: { template: { spec: { containers: [workloadContainer(`${marker}-${name}-${version}`)] } } } };
  expect((await cp.mergePatch(dsPath(name), patch)).status).toBe(200);
}

/** The DaemonSet's status, read with the API, says every desired pod is updated and available. */
async function waitRolledOut(name: string, desired = 3): Promise<void> {
  await waitFor(`${name} rolled out`, async () => {
    const d = (await cp.api("GET", dsPath(name))).json();
    const s = d.status ?? {};
    return s.observedGeneration === d.metadata.generation && s.desiredNumberScheduled === desired && s.updatedNumberScheduled === desired && s.numberAvailable === desired;
  }, 60_000);
}

/** The grid legend's pods of one revision: ready, not ready, and whether it is the newest. */
async function legend(page: Page, revision: number): Promise<{ ready: number; notReady: number; current: boolean } | undefined> {
  const item = page.locator(`[data-legend-revision="${revision}"]`);
  if ((await item.count()) === 0) return undefined;
  return { ready: Number(await item.getAttribute("data-ready")), notReady: Number(await item.getAttribute("data-not-ready")), current: (await item.getAttribute("data-current")) === "true" };
}

const allReadyAt = async (page: Page, revision: number) => {
  const l = await legend(page, revision);
  return !!l && l.current && l.ready === 3 && l.notReady === 0;
};

interface Meters {
  updated: number;
  ready: number;
  available: number;
  desired: number;
  complete: boolean;
}

/** The rollout bar's numbers, read from its data attributes; undefined before it is drawn. */
async function meters(page: Page): Promise<Meters | undefined> {
  const bar = page.locator(".bar");
  if ((await bar.count()) === 0) return undefined;
  const value = async (kind: string, attribute = "data-value") => Number(await bar.locator(`[data-kind="${kind}"]`).getAttribute(attribute));
  return { updated: await value("updated"), ready: await value("ready"), available: await value("available"), desired: await value("updated", "data-desired"), complete: (await bar.getAttribute("data-complete")) === "true" };
}

const done = (m: Meters | undefined) => !!m && m.complete && m.desired === 3 && m.updated === 3 && m.ready === 3 && m.available === 3;

describe("dashboard", () => {
  it("shows the fleet's counts, by label, and filters by a label selector", async () => {
    const page = await signIn(cp.connection.token);
    await waitForText("4 nodes", () => count(page, "total"), "4");
    expect([await count(page, "Ready"), await count(page, "NotReady"), await count(page, "Unknown"), await count(page, "cordoned")]).toEqual(["3", "0", "1", "1"]);
    const groups = await page.locator('[data-table="groups"] tbody tr').allInnerTexts();
    expect(groups.map((row) => row.split("\t").map((s) => s.trim()))).toEqual([
      ["north", "2", "2"],
      ["south", "2", "1"],
    ]);
    await waitFor("four rows in the node list", async () => (await page.locator(".vlist .vrow").count()) === 4);
    await shot(page, "overview");
    await page.locator("#label-selector").fill("site=north");
    await page.locator("#label-selector").press("Enter");
    await waitForText("2 nodes after the filter", () => count(page, "total"), "2");
    expect(await page.locator(".vlist .vrow .name").allInnerTexts()).toEqual(["edge-1", "edge-2"]);
    // The list is keyboard-usable: focus moves from row to row with the arrows.
    await page.locator(".vlist .vrow .name").first().focus();
    await page.keyboard.press("ArrowDown");
    expect(await page.locator(":focus").innerText()).toBe("edge-2");
  });

  it("moves a rollout's bar as pods become ready, and shows the grid, the pods and the history", async () => {
    const ds = "web";
    await createDaemonSet(ds);
    const page = await signIn(cp.connection.token, { hash: `#/daemonsets/default/${ds}` });
    await waitFor("revision 1 rolled out", async () => done(await meters(page)));
    const seen: Meters[] = [];
    await updateDaemonSet(ds, "v2");
    await waitFor(
      "revision 2 rolled out on the page",
      async () => {
        const m = await meters(page);
        if (m) seen.push(m);
        return done(m) && seen.some((s) => !done(s)) && (await allReadyAt(page, 2));
      },
      60_000,
      100,
    );
    // The bar went through states between start and end: fewer than desired updated, or ready.
    expect(seen.some((s) => s.updated < 3 || s.ready < 3 || s.available < 3)).toBe(true);
    const history = await page.locator('[data-table="history"] tbody tr').allInnerTexts();
    expect(history.map((row) => row.split("\t").slice(0, 2).map((s) => s.trim()))).toEqual([
      ["2", "deploy v2"],
      ["1", "deploy v1"],
    ]);
    // The pods as a list too, one row per node.
    await waitFor("the pod list", async () => (await page.locator('section[aria-label="Pods"] .vrow').count()) === 3);
    expect(await page.locator('section[aria-label="Pods"] .vrow .name').allInnerTexts()).toEqual(["edge-1", "edge-2", "edge-3"]);
    await shot(page, "daemonset");
    // The grid is one tab stop, however many nodes: arrows move its cursor, Tab leaves it, Enter opens the node.
    const grid = page.locator(".grid canvas");
    expect(await page.locator('.grid [tabindex="0"]').count()).toBe(1);
    await grid.focus();
    expect(await grid.getAttribute("data-node")).toBe("edge-1");
    await page.keyboard.press("ArrowRight");
    expect(await page.locator(":focus").getAttribute("data-node")).toBe("edge-2");
    expect(await page.locator(".grid-cursor").innerText()).toBe("edge-2: revision 2, ready");
    await page.keyboard.press("End");
    expect(await page.locator(":focus").getAttribute("data-node")).toBe("edge-3");
    await page.keyboard.press("Tab");
    expect(await page.locator(":focus").evaluate((e) => e.tagName)).not.toBe("CANVAS");
    await grid.focus();
    expect(await grid.getAttribute("data-node")).toBe("edge-3");
    await page.keyboard.press("Enter");
    await page.waitForURL(/#\/nodes\/edge-3$/);
  });

  it("rolls back to a revision from the page, after confirming", async () => {
    const ds = "rollback";
    await createDaemonSet(ds);
    await waitRolledOut(ds);
    await updateDaemonSet(ds, "v2");
    await waitRolledOut(ds);
    const page = await signIn(cp.connection.token, { hash: `#/daemonsets/default/${ds}` });
    const rollback = page.locator('button[data-rollback="1"]');
    await rollback.waitFor();
    const generation = (await cp.api("GET", dsPath(ds))).json().metadata.generation;
    // Escape cancels: nothing is sent.
    await rollback.click();
    await page.locator("dialog.confirm").waitFor();
    await shot(page, "confirm");
    await page.keyboard.press("Escape");
    await page.locator("dialog.confirm").waitFor({ state: "detached" });
    expect((await cp.api("GET", dsPath(ds))).json().metadata.generation).toBe(generation);
    await rollback.click();
    await page.locator("dialog.confirm button.danger").click();
    await waitFor("the template is v1 again", async () => JSON.stringify((await cp.api("GET", dsPath(ds))).json().spec.template).includes(`${marker}-${ds}-v1`));
    // kubectl's rule: rolling back to revision 1 makes it revision 3.
    await waitFor("revision 3 rolled out on the page", async () => done(await meters(page)) && (await allReadyAt(page, 3)), 60_000);
  });

  it("pauses, resumes and promotes a rollout from the page, after confirming, and shows the edge settings and counts", async () => {
    const ds = "paused";
    await createDaemonSet(ds);
    const annotations = async () => (await cp.api("GET", dsPath(ds))).json().metadata.annotations ?? {};
    const page = await signIn(cp.connection.token, { hash: `#/daemonsets/default/${ds}` });
    const action = (name: string) => page.locator(`[data-rollout-action="${name}"]`);
    const confirm = async (name: string) => {
      await action(name).click();
      await page.locator("dialog.confirm button.danger").click();
      await page.locator("dialog.confirm").waitFor({ state: "detached" });
    };
    await action("pause").waitFor();
    expect(await page.locator('[data-rollout-state="running"]').innerText()).toContain("No edge settings");
    // Escape cancels: nothing is sent.
    await action("pause").click();
    await page.keyboard.press("Escape");
    await page.locator("dialog.confirm").waitFor({ state: "detached" });
    expect((await annotations())["rollout.edgeset.dev/paused"]).toBeUndefined();

    await confirm("pause");
    await waitFor("the pause annotation", async () => (await annotations())["rollout.edgeset.dev/paused"] === "true");
    await action("resume").waitFor();
    // Pause became Resume: the focus stays there rather than falling back to the page.
    await waitFor("the focus on Resume", async () => (await page.locator(":focus").getAttribute("data-rollout-action").catch(() => null)) === "resume");
    expect(await page.locator('[data-table="edge-settings"] tbody tr').allInnerTexts()).toEqual(["paused\ttrue"]);
    expect(await page.locator('[data-rollout-state="paused"]').count()).toBe(1);
    await confirm("resume");
    await waitFor("the pause annotation removed", async () => !("rollout.edgeset.dev/paused" in (await annotations())));
    await action("pause").waitFor();
    expect(await action("promote").count()).toBe(0);

    // Held back by a partition (set as kubectl annotate would): the counts show, and promote removes it.
    const counts = "updated=2/3 offline=0 not-ready=0 crash-looping=0 deferred=0 pending=0 held=partition:1,selector:0,paused:0";
    expect((await cp.mergePatch(dsPath(ds), { metadata: { annotations: { "rollout.edgeset.dev/partition": "1", "rollout.edgeset.dev/status": counts } } })).status).toBe(200);
    await action("promote").waitFor();
    await page.locator("[data-rollout-counts]").waitFor();
    // The controller (once it acts on the settings) rewrites the counts; the page shows what the API holds.
    await waitFor("the counts as the API holds them", async () => {
      const held = /held=partition:(\d+),selector:(\d+),paused:(\d+)/.exec((await annotations())["rollout.edgeset.dev/status"] ?? "");
      const text = await page.locator('[data-count-of="held"]').innerText();
      return !!held && text.startsWith(`held back ${Number(held[1]) + Number(held[2]) + Number(held[3])}`);
    });
    expect(await page.locator('[data-count-of="offline"]').innerText()).toMatch(/^offline \d+$/);
    await shot(page, "edge-rollout");
    await confirm("promote");
    await waitFor("the partition removed", async () => !("rollout.edgeset.dev/partition" in (await annotations())));
    await waitFor("no promote once nothing holds nodes back", async () => (await action("promote").count()) === 0);
  });

  it("shows a viewer no admin actions", async () => {
    // Two revisions: an admin would see a roll back.
    const ds = "viewed";
    await createDaemonSet(ds);
    await waitFor("revision 1", async () => (await cp.api("GET", dsPath(ds))).json().status?.observedGeneration === 1);
    await updateDaemonSet(ds, "v2");
    const created = await cp.api("POST", "/edgeset/v1/apitokens", { role: "viewer", ttlSeconds: 3600 });
    expect(created.status).toBe(201);
    const page = await signIn(created.json().token, { hash: `#/daemonsets/default/${ds}` });
    await waitFor("the history table", async () => (await page.locator('[data-table="history"] tbody tr').count()) >= 2);
    await waitFor("the rollout bar", async () => !!(await meters(page)));
    expect(await page.locator("header .who").innerText()).toContain("edgeset:viewers");
    expect(await page.locator("button[data-rollback]").count()).toBe(0);
    expect(await page.getByRole("button", { name: "Restart" }).isVisible()).toBe(false);
    expect(await page.locator("[data-rollout-action]").count()).toBe(0);
  });

  it("is readable at phone width (375 px): no sideways scrolling on any page", async () => {
    const ds = "narrow";
    await createDaemonSet(ds);
    const page = await signIn(cp.connection.token, { width: 375 });
    await waitForText("4 nodes", () => count(page, "total"), "4");
    const overflow = () => page.evaluate<number>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
    expect(await overflow()).toBeLessThanOrEqual(0);
    await shot(page, "overview-narrow");
    await page.evaluate(`location.hash = "#/daemonsets/default/${ds}"`);
    await waitFor("the rollout bar", async () => !!(await meters(page)));
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.evaluate(`location.hash = "#/nodes/edge-1"`);
    await waitFor("the node's pods", async () => (await page.locator('[data-table="pods"] tbody tr').count()) >= 1);
    expect(await overflow()).toBeLessThanOrEqual(0);
  });

  it("shows a device's labels, taints, conditions and pods", async () => {
    // Only edge-3 is in the south among the agents' nodes (and cordoned: DaemonSet pods still run there).
    const ds = "south";
    await createDaemonSet(ds, "v1", { site: "south" });
    const page = await signIn(cp.connection.token, { hash: "#/nodes/edge-3" });
    const row = page.locator('[data-table="pods"] tbody tr', { hasText: `${ds}-` });
    await waitFor("the DaemonSet's pod running", async () => (await row.count()) === 1 && (await row.innerText()).includes("Running"), 60_000);
    expect(await page.locator(".chips").innerText()).toContain("site=south");
    expect(await page.locator("main").innerText()).toContain("cordoned");
    const pod = (await row.innerText()).split("\t").map((s) => s.trim());
    expect(pod[2]).toBe(ds);
    expect(pod[3]).toBe("Running");
    await shot(page, "node");
  });

  it("shows a container's logs on the device's page, and says why when the device cannot send them", async () => {
    const talker = {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name: "talker" },
      spec: {
        selector: { matchLabels: { app: "talker" } },
        template: { metadata: { labels: { app: "talker" } }, spec: { nodeSelector: { fleet, site: "north" }, terminationGracePeriodSeconds: 1, containers: [{ name: "main", image: "busybox:1.36", command: ["sh", "-c", "echo hello from the device; echo second line; while true; do sleep 1; done", `${marker}-talker`] }] } },
      },
    };
    expect((await cp.api("POST", "/apis/apps/v1/namespaces/default/daemonsets", talker)).status).toBe(201);
    const page = await signIn(cp.connection.token, { hash: "#/nodes/edge-1" });
    const option = page.locator("#log-target option", { hasText: "default/talker-" });
    await option.waitFor({ state: "attached", timeout: 60_000 });
    const talkerPod = (await option.getAttribute("value"))!.split("/")[1]!;
    // The pod row's Logs button picks its container and reads; the workload may not have written yet: read again until it has.
    const showLogs = page.getByRole("button", { name: "Show logs" });
    let first = true;
    await waitFor(
      "the workload's two lines",
      async () => {
        await (first ? page.locator(`[data-logs-for="${talkerPod}"]`) : showLogs).click();
        first = false;
        expect(await page.locator("#log-target").inputValue()).toBe(`default/${talkerPod}/main`);
        await page.waitForFunction("!document.querySelector('.logs .note')?.textContent?.startsWith('Waiting')", undefined, { timeout: 60_000 });
        return (await page.locator("pre.log").textContent()) === "hello from the device\nsecond line\n";
      },
      60_000,
    );
    await page.locator("#log-lines").fill("1");
    await showLogs.click();
    await waitFor("only the last line", async () => (await page.locator("pre.log").textContent()) === "second line\n");
    await shot(page, "node-logs");

    // A pod on the node no agent syncs for: the request waits for a device that never connects.
    const ghost = { apiVersion: "v1", kind: "Pod", metadata: { name: "ghost-pod" }, spec: { nodeName: "edge-ghost", containers: [{ name: "main", image: "busybox:1.36" }] } };
    expect((await cp.api("POST", "/api/v1/namespaces/default/pods", ghost)).status).toBe(201);
    await page.evaluate(`location.hash = "#/nodes/edge-ghost"`);
    await page.locator("#log-target option", { hasText: "default/ghost-pod/main" }).waitFor({ state: "attached" });
    await page.locator("#log-target").selectOption("default/ghost-pod/main");
    await showLogs.click();
    expect(await page.locator(".logs .note").innerText()).toContain("Waiting for edge-ghost to connect");
    const error = page.locator("[data-log-error]");
    await error.waitFor({ state: "visible", timeout: 90_000 });
    expect(await error.innerText()).toMatch(/^No logs: edge-ghost did not connect\. Logs need the device to connect, which it does at its next sync \(up to one sync interval\); is it online\? \(504 Timeout: /);
    expect(await page.locator("pre.log").isVisible()).toBe(false);
  });

  it("lets a page on an allowed origin call the API (preflight and real request), and no other", async () => {
    const call = (origin: string) => async (page: Page) => {
      await page.goto(origin);
      return page.evaluate(
        async ({ url, token }) => {
          try {
            // Authorization and a PATCH need a preflight; the answer's ETag is readable only if exposed.
            const list = await fetch(`${url}/api/v1/nodes`, { headers: { Authorization: `Bearer ${token}` } });
            const patch = await fetch(`${url}/api/v1/nodes/edge-1`, { method: "PATCH", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/merge-patch+json" }, body: JSON.stringify({ metadata: { labels: { cors: "yes" } } }) });
            return { list: list.status, etag: list.headers.get("ETag"), items: ((await list.json()) as { items: unknown[] }).items.length, patch: patch.status };
          } catch (error) {
            return { blocked: String(error) };
          }
        },
        { url: cp.url, token: cp.connection.token },
      );
    };
    const fromAllowed = await call(allowed.origin)(await newPage());
    expect(fromAllowed).toMatchObject({ list: 200, items: 4, patch: 200 });
    expect((fromAllowed as { etag: string }).etag).toMatch(/^".+"$/);
    expect((await cp.api("GET", "/api/v1/nodes/edge-1")).json().metadata.labels.cors).toBe("yes");
    expect(await call(other.origin)(await newPage())).toEqual({ blocked: expect.stringContaining("Failed to fetch") });
  });
});
