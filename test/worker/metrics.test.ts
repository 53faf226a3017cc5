/**
 * `GET /metrics`, parsed by a strict Prometheus text parser (test/support/prometheus-text.ts) and
 * checked against a fleet this test builds: nodes with labels, one cordoned; a RollingUpdate
 * DaemonSet half rolled out and an OnDelete one; syncs of each kind. Who may scrape, and what a
 * scrape leaves out beyond its limits.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index.ts";
import { nodeShardOf } from "../../src/controller/node-shards.ts";
import { parsePrometheusText, type PrometheusScrape } from "../support/prometheus-text.ts";
import { daemonSet } from "../support/manifests.ts";
import { call, countingD1, countingNamespace, enroll, json, sync, unique } from "./helpers.ts";

async function scrape(token?: string | null, bindings: Record<string, string> = {}): Promise<PrometheusScrape> {
  const headers: Record<string, string> = token === null ? {} : { Authorization: `Bearer ${token ?? "test-admin-token"}` };
  const request = new Request("http://edgeset.test/metrics", { headers });
  const ctx = createExecutionContext();
  const res = Object.keys(bindings).length ? await worker.fetch(request, { ...env, ...bindings }, ctx) : await exports.default.fetch(request);
  await waitOnExecutionContext(ctx);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
  return parsePrometheusText(await res.text());
}

async function apiToken(role: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await call("POST", "/edgeset/v1/apitokens", { role, ...extra });
  expect(res.status).toBe(201);
  return (await json(res)).token;
}

const readyReport = (pod: any) => ({ namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid, status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] } });

describe("/metrics", () => {
  it("shows a known fleet with kube-state-metrics names and values", async () => {
    const site = unique("site");
    const [a, b, c] = [unique("m-a"), unique("m-b"), unique("m-c")];
    const creds = { a: await enroll(a, { site, "hw.example.com/model": "pi4" }), b: await enroll(b, { site }), c: await enroll(c, { site: `${site}-other` }) };
    expect((await call("PATCH", `/api/v1/nodes/${b}`, { spec: { unschedulable: true } }, { contentType: "application/merge-patch+json" })).status).toBe(200);
    const rolling = unique("rolling");
    const onDelete = unique("ondelete");
    expect((await call("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet({ name: rolling, nodeSelector: { site } }))).status).toBe(201);
    const legacy = { ...daemonSet({ name: onDelete, nodeSelector: { site: `${site}-other` } }), apiVersion: "extensions/v1beta1" };
    expect((await call("POST", "/apis/extensions/v1beta1/namespaces/default/daemonsets", legacy)).status).toBe(201);
    for (const name of [rolling, onDelete]) await env.DAEMONSET_CONTROLLER.getByName(`default/${name}`).reconcileNow({ namespace: "default", name });

    // a's pod reports Ready; b's stays Pending; c's OnDelete pod reports Ready.
    const first = await json((await sync(creds.a)));
    expect(first.pods).toHaveLength(1);
    const written = await sync(creds.a, { node: {}, pods: [readyReport(first.pods[0])] }, first.version);
    expect(written.status).toBe(304);
    await sync(creds.b);
    const third = await json(await sync(creds.c));
    await sync(creds.c, { node: {}, pods: [readyReport(third.pods[0])] }, third.version);
    for (const name of [rolling, onDelete]) await env.DAEMONSET_CONTROLLER.getByName(`default/${name}`).reconcileNow({ namespace: "default", name });

    const m = await scrape();
    const ds = { namespace: "default", daemonset: rolling };
    expect(m.value("kube_daemonset_status_desired_number_scheduled", ds)).toBe(2);
    expect(m.value("kube_daemonset_status_current_number_scheduled", ds)).toBe(2);
    expect(m.value("kube_daemonset_status_updated_number_scheduled", ds)).toBe(2);
    expect(m.value("kube_daemonset_status_number_ready", ds)).toBe(1);
    expect(m.value("kube_daemonset_status_number_available", ds)).toBe(1);
    expect(m.value("kube_daemonset_status_number_unavailable", ds)).toBe(1);
    expect(m.value("kube_daemonset_status_number_misscheduled", ds)).toBe(0);
    expect(m.value("kube_daemonset_metadata_generation", ds)).toBe(1);
    expect(m.value("kube_daemonset_status_observed_generation", ds)).toBe(1);
    expect(m.value("kube_daemonset_labels", ds)).toBe(1);
    expect(m.value("edgeset_daemonset_rollout_in_progress", ds)).toBe(1);
    expect(m.value("edgeset_daemonset_rollout_in_progress", { daemonset: onDelete })).toBe(0);
    expect(m.value("kube_daemonset_status_number_available", { daemonset: onDelete })).toBe(1);
    expect(m.value("edgeset_rollouts_in_progress")).toBeGreaterThanOrEqual(1);

    expect(m.value("kube_node_labels", { node: a })).toBe(1);
    expect(m.samples("kube_node_labels", { node: a })[0]!.labels).toMatchObject({ label_site: site, label_hw_example_com_model: "pi4" });
    expect(m.value("kube_node_spec_unschedulable", { node: a })).toBe(0);
    expect(m.value("kube_node_spec_unschedulable", { node: b })).toBe(1);
    expect(m.value("kube_node_status_condition", { node: a, condition: "Ready", status: "true" })).toBe(1);
    expect(m.value("kube_node_status_condition", { node: a, condition: "Ready", status: "unknown" })).toBe(0);
    expect(m.value("kube_node_info", { node: c })).toBe(1);

    const podOf = (node: string) => m.samples("kube_pod_info", { node, created_by_name: rolling })[0]?.labels.pod;
    expect(m.value("kube_pod_status_phase", { pod: podOf(a)!, phase: "Running" })).toBe(1);
    expect(m.value("kube_pod_status_phase", { pod: podOf(b)!, phase: "Running" })).toBe(0);
    expect(m.value("kube_pod_status_ready", { pod: podOf(a)!, condition: "true" })).toBe(1);
    expect(m.value("kube_pod_info", { pod: podOf(a)!, created_by_kind: "DaemonSet" })).toBe(1);

    expect(m.value("edgeset_reconcile_passes_total", ds)).toBeGreaterThanOrEqual(2);
    expect(m.value("edgeset_reconcile_pass_duration_seconds_count", ds)).toBe(m.value("edgeset_reconcile_passes_total", ds));
    expect(m.family("edgeset_reconcile_pass_duration_seconds").type).toBe("histogram");
    expect(m.value("edgeset_metrics_objects_omitted", { kind: "Node" })).toBe(0);
  });

  it("counts syncs in the node shards by result and path", async () => {
    const node = unique("counted");
    const credential = await enroll(node, {});
    const shard = String(nodeShardOf(env, node).index);
    const count = (m: PrometheusScrape, result: string, path: string) => m.samples("edgeset_syncs_total", { shard, result, path })[0]?.value ?? 0;
    const before = await scrape();
    const body = { node: { labels: { "kubernetes.io/hostname": node } }, pods: [] };
    const first = await call("POST", "/agent/v1/sync", body, { token: credential, headers: { "X-Edgeset-Node": node } });
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag")!;
    for (let i = 0; i < 3; i++) expect((await call("POST", "/agent/v1/sync", body, { token: credential, headers: { "X-Edgeset-Node": node, "If-None-Match": etag } })).status).toBe(304);
    expect((await call("POST", "/agent/v1/sync", body, { token: credential, headers: { "X-Edgeset-Node": node } })).status).toBe(200);
    expect((await call("POST", "/agent/v1/sync", { node: { labels: 7 }, pods: [] }, { token: credential, headers: { "X-Edgeset-Node": node, "If-None-Match": etag } })).status).toBe(422);
    const after = await scrape();
    expect(count(after, "200", "write") - count(before, "200", "write")).toBe(1);
    expect(count(after, "304", "shard") - count(before, "304", "shard")).toBe(3);
    expect(count(after, "200", "assignments") - count(before, "200", "assignments")).toBe(1);
    expect(count(after, "error", "d1") - count(before, "error", "d1")).toBe(1);
    expect(after.value("edgeset_node_shard_up", { shard })).toBe(1);
    expect(after.value("edgeset_nodes", { ready: "True" })).toBeGreaterThanOrEqual(1);
    expect(after.value("edgeset_node_shard_nodes", { shard, ready: "True" })).toBeGreaterThanOrEqual(1);
  });

  it("is for the admin, viewers and metrics tokens; a metrics token reads nothing else", async () => {
    expect((await call("GET", "/metrics", undefined, { token: null })).status).toBe(401);
    const operator = await apiToken("operator", { namespaces: ["default"] });
    const denied = await call("GET", "/metrics", undefined, { token: operator });
    expect(denied.status).toBe(403);
    expect((await json(denied)).reason).toBe("Forbidden");
    await scrape(await apiToken("viewer"));
    const metrics = await apiToken("metrics");
    await scrape(metrics);
    expect((await call("GET", "/api/v1/nodes", undefined, { token: metrics })).status).toBe(403);
    expect((await call("GET", "/apis", undefined, { token: metrics })).status).toBe(403);
    expect((await call("POST", "/edgeset/v1/apitokens", { role: "metrics", namespaces: ["default"] })).status).toBe(400);
  });

  it("costs three bounded D1 reads and one call per shard and per DaemonSet, and writes nothing", async () => {
    const name = unique("costed");
    expect((await call("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet({ name }))).status).toBe(201);
    const daemonSets = (await json(await call("GET", "/apis/apps/v1/daemonsets"))).items.length;
    const counted = async (bindings: Record<string, string> = {}) => {
      const d1 = countingD1(env.DB);
      const shards = countingNamespace(env.NODE_SHARD);
      const controllers = countingNamespace(env.DAEMONSET_CONTROLLER);
      const ctx = createExecutionContext();
      const res = await worker.fetch(new Request("http://edgeset.test/metrics", { headers: { Authorization: "Bearer test-admin-token" } }), { ...env, ...bindings, DB: d1.db, NODE_SHARD: shards.ns, DAEMONSET_CONTROLLER: controllers.ns }, ctx);
      await waitOnExecutionContext(ctx);
      expect(res.status).toBe(200);
      parsePrometheusText(await res.text());
      return { d1: d1.counts, shardCalls: shards.calls, controllerCalls: controllers.calls };
    };
    const cost = await counted();
    // Each list is one batch: the resource version counter and the rows, stopped at the limit.
    expect(cost.d1).toMatchObject({ reads: 6, writes: 0 });
    expect(cost.d1.statements.filter((sql) => /limit \?/i.test(sql))).toHaveLength(3);
    expect(cost.shardCalls).toEqual(["stats", "stats", "stats", "stats"]);
    expect(cost.controllerCalls).toEqual(Array(daemonSets).fill("reconcileStats"));
    console.log(`a scrape with ${daemonSets} DaemonSets: ${cost.d1.reads} D1 statements, ${cost.shardCalls.length} shard calls, ${cost.controllerCalls.length} controller calls, no writes`);
    // Over the DaemonSet limit, no controller is asked.
    expect((await counted({ METRICS_DAEMONSET_LIMIT: "1" })).controllerCalls).toEqual([]);
  });

  it("leaves out every per-object series of a kind with more objects than its limit", async () => {
    await enroll(unique("over-a"), {});
    await enroll(unique("over-b"), {});
    const m = await scrape(undefined, { METRICS_NODE_LIMIT: "1" });
    expect(m.value("edgeset_metrics_objects_omitted", { kind: "Node" })).toBe(1);
    expect(m.value("edgeset_metrics_object_limit", { kind: "Node" })).toBe(1);
    for (const family of ["kube_node_labels", "kube_node_info", "kube_node_status_condition", "kube_node_spec_unschedulable"]) expect(m.family(family).samples).toEqual([]);
    expect(m.value("edgeset_nodes", { ready: "True" })).toBeGreaterThanOrEqual(2);
  });
});
