/**
 * @module
 * `BENCH_PARTS=dashboard npm run bench`: the dashboard's pages against fleets of two sizes in one
 * control plane and one Chromium, so the large fleet is measured against the small one of the same
 * run. For each size (BENCH_DASHBOARD_NODES, default `100,10000`) it creates that many nodes through
 * the API (no agents: they show as Unknown, their pods as Pending) labelled `dash-bench=s<size>`,
 * and a DaemonSet on them, whose pods the controller creates. Then, per size, in a fresh browser
 * context (no cached answers):
 *
 * - the DaemonSet page (`#/daemonsets/default/fleet-<size>`), from sign-in until the grid shows
 *   every pod: time, API requests, response bytes, elements in the DOM;
 * - a refresh of it with nothing changed (every read conditional): time, requests, bytes;
 * - End in the grid until the last node has the focus;
 * - the fleet overview filtered to that fleet (`#/?labelSelector=dash-bench=s<size>`, applied by
 *   the server) until the counts show every node: time, requests, bytes, elements.
 *
 * The ratios are the large fleet's figure over the small one's.
 */
import type { Browser, Page } from "playwright-core";
import { buildDashboard } from "../scripts/lib/dashboard-bundle.ts";
import { launchChromium } from "../test/support/browser.ts";
import { startControlPlane, type ControlPlane } from "../test/support/control-plane.ts";
import { waitFor } from "../test/support/wait.ts";

export interface PageLoad {
  ms: number;
  requests: number;
  /** Response bodies of the API reads, as received. */
  bytes: number;
  /** Elements in the document once the page shows the whole fleet. */
  elements?: number;
}

export interface DashboardSizeResult {
  nodes: number;
  seedSeconds: number;
  daemonSetPage: PageLoad;
  daemonSetRefresh: PageLoad;
  gridEndKeyMs: number;
  overview: PageLoad;
}

export interface DashboardBenchResults {
  sizes: DashboardSizeResult[];
  ratios: Record<string, number>;
}

const concurrency = 16;
const nodeName = (size: number, i: number) => `s${size}-node-${String(i).padStart(5, "0")}`;

async function seed(cp: ControlPlane, size: number): Promise<number> {
  const started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < size) {
        const i = next++;
        const name = nodeName(size, i);
        const res = await cp.api("POST", "/api/v1/nodes", { apiVersion: "v1", kind: "Node", metadata: { name, labels: { "dash-bench": `s${size}`, site: `site-${i % 20}`, hardware: i % 3 ? "pi4" : "nuc" } } });
        if (res.status !== 201) throw new Error(`creating ${name}: ${res.status} ${res.body}`);
      }
    }),
  );
  const name = `fleet-${size}`;
  const ds = {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name, annotations: { "kubernetes.io/change-cause": "bench" } },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { nodeSelector: { "dash-bench": `s${size}` }, containers: [{ name: "main", image: "busybox:1.36", command: ["sh", "-c", "sleep 3600"] }] } },
    },
  };
  const created = await cp.api("POST", "/apis/apps/v1/namespaces/default/daemonsets", ds);
  if (created.status !== 201) throw new Error(`creating ${name}: ${created.status} ${created.body}`);
  await waitFor(
    `${size} pods of ${name}`,
    async () => {
      const s = (await cp.api("GET", `/apis/apps/v1/namespaces/default/daemonsets/${name}`)).json().status ?? {};
      return s.desiredNumberScheduled === size && s.currentNumberScheduled === size;
    },
    30 * 60_000,
    1000,
  );
  return (Date.now() - started) / 1000;
}

const isApi = (url: string) => /^\/apis?\//.test(new URL(url).pathname);

/** Counts the API reads of a page from `start()` on. */
function meter(page: Page) {
  let requests = 0;
  let bytes = 0;
  const pending = new Set<Promise<void>>();
  page.on("response", (response) => {
    if (isApi(response.url())) requests++;
  });
  page.on("requestfinished", (request) => {
    if (!isApi(request.url())) return;
    const p = request.sizes().then((s) => void (bytes += s.responseBodySize), () => {});
    pending.add(p);
    void p.finally(() => pending.delete(p));
  });
  let startedAt = 0;
  return {
    start() {
      requests = 0;
      bytes = 0;
      startedAt = Date.now();
    },
    async stop(elements?: boolean): Promise<PageLoad> {
      const ms = Date.now() - startedAt;
      await Promise.all([...pending]);
      return { ms, requests, bytes, ...(elements ? { elements: await page.evaluate<number>("document.getElementsByTagName('*').length") } : {}) };
    },
  };
}

/** Pods the grid shows: its `data-pods` count, or its squares. */
const gridPods = (page: Page) => page.evaluate<number>(`Number(document.querySelector(".grid")?.dataset.pods ?? document.querySelectorAll(".grid .cell").length)`);

async function measureSize(cp: ControlPlane, browser: Browser, size: number, seedSeconds: number): Promise<DashboardSizeResult> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1200, height: 900 } });
  try {
    const page = await context.newPage();
    const m = meter(page);
    // A long poll period: the refresh below is triggered by hand, not by the timer.
    await page.goto(`${cp.url}/?poll=60000#/daemonsets/default/fleet-${size}`);
    await page.locator("#token").fill(cp.connection.token);
    m.start();
    await page.locator("#token").press("Enter");
    await waitFor("the whole grid", async () => (await gridPods(page)) === size, 300_000, 20);
    const daemonSetPage = await m.stop(true);

    // The same route again (hashchange): one refresh, every read conditional.
    const history = page.locator('[data-table="history"] tbody tr');
    await history.first().waitFor();
    m.start();
    // Resolves after the dashboard's own hashchange listener (added first) has put the new view in.
    await page.evaluate(`new Promise((resolve) => (addEventListener("hashchange", resolve, { once: true }), (location.hash = "#/daemonsets/default/fleet-${size}?again")))`);
    await waitFor("the grid redrawn", async () => (await gridPods(page)) === size && (await history.count()) > 0, 300_000, 20);
    const daemonSetRefresh = await m.stop();

    const first = page.locator('.grid [tabindex="0"]');
    await first.focus();
    const endStart = Date.now();
    await page.keyboard.press("End");
    const last = nodeName(size, size - 1);
    await waitFor("the last node focused", async () => (await page.evaluate<string>(`document.activeElement?.dataset.node ?? ""`)) === last, 60_000, 10);
    const gridEndKeyMs = Date.now() - endStart;

    const overviewPage = await context.newPage();
    const o = meter(overviewPage);
    await overviewPage.goto(`${cp.url}/?poll=60000#/?labelSelector=${encodeURIComponent(`dash-bench=s${size}`)}`);
    await overviewPage.locator("#token").fill(cp.connection.token);
    o.start();
    await overviewPage.locator("#token").press("Enter");
    await waitFor("every node counted", async () => (await overviewPage.locator('[data-count="total"] .value').innerText().catch(() => "")) === String(size), 300_000, 20);
    const overview = await o.stop(true);
    return { nodes: size, seedSeconds, daemonSetPage, daemonSetRefresh, gridEndKeyMs, overview };
  } finally {
    await context.close();
  }
}

export async function dashboardBench(log: (line: string) => void = console.log): Promise<DashboardBenchResults> {
  const sizes = (process.env.BENCH_DASHBOARD_NODES ?? "100,10000").split(",").map(Number).sort((a, b) => a - b);
  await buildDashboard();
  const cp = await startControlPlane({ nodeGraceSeconds: 3600, vars: { RATE_LIMITER: "memory", API_RATE_LIMIT_PER_MINUTE: "0" } });
  const browser = await launchChromium();
  try {
    const seeded: number[] = [];
    for (const size of sizes) {
      seeded.push(await seed(cp, size));
      log(`dashboard: ${size} nodes and their pods seeded in ${seeded.at(-1)!.toFixed(0)} s`);
    }
    const results: DashboardSizeResult[] = [];
    for (const [i, size] of sizes.entries()) {
      results.push(await measureSize(cp, browser, size, seeded[i]!));
      log(`dashboard: ${JSON.stringify(results.at(-1))}`);
    }
    const small = results[0]!;
    const large = results.at(-1)!;
    const tag = `${large.nodes}÷${small.nodes} nodes`;
    const ratios: Record<string, number> = {
      [`dashboard DaemonSet page: time to render, ${tag}`]: large.daemonSetPage.ms / small.daemonSetPage.ms,
      [`dashboard DaemonSet page: bytes fetched, ${tag}`]: large.daemonSetPage.bytes / small.daemonSetPage.bytes,
      [`dashboard DaemonSet page: elements, ${tag}`]: large.daemonSetPage.elements! / small.daemonSetPage.elements!,
      [`dashboard DaemonSet page: unchanged refresh time, ${tag}`]: large.daemonSetRefresh.ms / small.daemonSetRefresh.ms,
      [`dashboard DaemonSet page: unchanged refresh bytes, ${tag}`]: large.daemonSetRefresh.bytes / Math.max(1, small.daemonSetRefresh.bytes),
      [`dashboard grid: End key, ${tag}`]: large.gridEndKeyMs / Math.max(1, small.gridEndKeyMs),
      [`dashboard overview: time to render, ${tag}`]: large.overview.ms / small.overview.ms,
      [`dashboard overview: bytes fetched, ${tag}`]: large.overview.bytes / small.overview.bytes,
    };
    return { sizes: results, ratios };
  } finally {
    await browser.close();
    await cp.stop();
  }
}
