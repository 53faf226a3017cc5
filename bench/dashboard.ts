/**
 * `node bench/dashboard.ts` (DASHBOARD_NODES, default 10000): the dashboard's overview against a
 * fleet of that many nodes, in Chromium. Creates the nodes through the API (no agents: they show
 * as Unknown), then measures the first load until the counts show every node, a poll that finds
 * nothing changed (every page answered 304), a jump to the end of the node list with the End key,
 * and the rows the page holds in its DOM. Prints one JSON object.
 */
import { buildDashboard } from "../scripts/lib/dashboard-bundle.ts";
import { launchChromium } from "../test/support/browser.ts";
import { startControlPlane } from "../test/support/control-plane.ts";
import { waitFor } from "../test/support/wait.ts";

const total = Number(process.env.DASHBOARD_NODES ?? 10_000);
const concurrency = 16;

await buildDashboard();
const cp = await startControlPlane();
const browser = await launchChromium();
try {
  const createdAt = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const name = `node-${String(i).padStart(5, "0")}`;
        const res = await cp.api("POST", "/api/v1/nodes", { apiVersion: "v1", kind: "Node", metadata: { name, labels: { site: `site-${i % 20}`, hardware: i % 3 ? "pi4" : "nuc" } } });
        if (res.status !== 201) throw new Error(`creating ${name}: ${res.status} ${res.body}`);
      }
    }),
  );
  const createSeconds = (Date.now() - createdAt) / 1000;

  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  let requests = 0;
  let notModified = 0;
  page.on("response", (res) => {
    if (!res.url().includes("/api")) return;
    requests++;
    if (res.status() === 304) notModified++;
  });
  // A long poll period: the second refresh below is triggered by hand, not by the timer.
  await page.goto(`${cp.url}/?poll=60000#/`);
  await page.locator("#token").fill(cp.connection.token);
  const loadStart = Date.now();
  await page.locator("#token").press("Enter");
  await waitFor("every node counted", async () => (await page.locator('[data-count="total"] .value').innerText().catch(() => "")) === String(total), 120_000, 50);
  const firstLoadSeconds = (Date.now() - loadStart) / 1000;
  const firstRequests = requests;

  // A refresh with nothing changed: the same route again (hashchange), every page conditional.
  requests = 0;
  notModified = 0;
  const pollStart = Date.now();
  await page.evaluate(`location.hash = "#/?groupBy=site"`);
  // The node pages, the leases and the DaemonSets: what one refresh reads.
  const refreshReads = Math.ceil(total / 1000) + 2;
  await waitFor("the refreshed overview", async () => requests >= refreshReads && (await page.locator('[data-count="total"] .value').innerText().catch(() => "")) === String(total), 120_000, 50);
  const unchangedPollSeconds = (Date.now() - pollStart) / 1000;

  await page.locator(".vlist .vrow .name").first().focus();
  const endStart = Date.now();
  await page.keyboard.press("End");
  const last = `node-${String(total - 1).padStart(5, "0")}`;
  await waitFor("the last row focused", async () => (await page.locator(":focus").innerText().catch(() => "")) === last, 30_000, 20);
  const endKeyMs = Date.now() - endStart;
  const rowsInDom = await page.locator(".vlist .vrow").count();
  console.log(JSON.stringify({ nodes: total, createSeconds, firstLoadSeconds, apiRequestsFirstLoad: firstRequests, unchangedPollSeconds, unchangedPollRequests: requests, unchangedPoll304s: notModified, endKeyMs, rowsInDom }, null, 2));
} finally {
  await browser.close();
  await cp.stop();
}
