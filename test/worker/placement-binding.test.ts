/**
 * The controller's binding step inside workerd, with fake devices: a daemon pod whose required
 * pod affinity is not met is created Pending and unbound (no device gets it), counted desired and
 * unavailable, and bound by itself once a matching pod appears in its domain (a DaemonSet pod or
 * a mirror pod of a static pod); a pod whose anti-affinity is violated later keeps running; an
 * invalid node affinity term is a FailedPlacement Warning on the DaemonSet while the other terms
 * still place pods.
 */
import { describe, expect, it } from "vitest";
import type { Pod } from "../../src/resources/types.ts";
import { call, json, unique } from "./helpers.ts";
import { daemonSet, pod } from "../support/manifests.ts";
import { waitFor } from "../support/wait.ts";
import { createDaemonSet, eventsOf, FakeNode, getDaemonSet, podsOf, reconcile } from "./controller-fleet.ts";

const hostname = "kubernetes.io/hostname";

async function enroll(labels: Record<string, string>): Promise<FakeNode> {
  const token = (await json(await call("POST", "/edgeset/v1/bootstraptokens", { ttlSeconds: 600 }))).token;
  const nodeName = unique("place");
  const res = await call("POST", "/agent/v1/enroll", { nodeName, labels: { ...labels, [hostname]: nodeName } }, { token });
  if (res.status !== 201) throw new Error(`enroll: ${res.status} ${await res.text()}`);
  const node = new FakeNode(nodeName, (await json(res)).credential);
  await node.sync();
  return node;
}

/** The DaemonSet's pods by target node: the bound node, or "pending:<node>" for an unbound one. */
const placement = (pods: Pod[]) =>
  pods
    .map((p) => p.spec.nodeName ?? `pending:${p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0]?.matchFields?.[0]?.values?.[0]}`)
    .sort();

const podEvents = async (name: string) => {
  const selector = encodeURIComponent(`involvedObject.kind=Pod,involvedObject.name=${name}`);
  return (await json(await call("GET", `/api/v1/namespaces/default/events?fieldSelector=${selector}`))).items as any[];
};

describe("binding daemon pods by pod affinity", () => {
  it("keeps a pod Pending until a security=S1 pod runs on its node, then binds it by itself (the docs' example)", async () => {
    const group = unique("g");
    const security = unique("S1");
    const nodes = [await enroll({ group, role: "s1" }), await enroll({ group }), await enroll({ group })];
    const web = unique("web");
    await createDaemonSet(
      daemonSet({
        name: web,
        pod: {
          nodeSelector: { group },
          affinity: {
            podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchExpressions: [{ key: "security", operator: "In", values: [security] }] }, topologyKey: hostname }] },
            podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { security: "S2" } }, topologyKey: hostname } }] },
          },
        },
      }),
    );
    await reconcile(web);
    const pending = await podsOf(web);
    expect(placement(pending)).toEqual(nodes.map((n) => `pending:${n.name}`).sort());
    const scheduled = pending[0]!.status?.conditions?.find((c) => c.type === "PodScheduled");
    expect(pending[0]!.status?.phase).toBe("Pending");
    expect(scheduled).toMatchObject({ status: "False", reason: "Unschedulable" });
    expect(scheduled?.message).toContain(`security in (${security})`);
    expect(scheduled?.message).toContain("podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]");
    expect((await podEvents(pending[0]!.metadata.name!)).map((e) => e.reason)).toContain("FailedScheduling");
    for (const node of nodes) await node.sync();
    expect(nodes.map((n) => n.pods.size)).toEqual([0, 0, 0]); // no device runs a Pending pod
    await reconcile(web);
    expect((await getDaemonSet(web)).status).toMatchObject({ desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 0, numberUnavailable: 3 });

    // A DaemonSet pod labelled security=S1 starts on the first node: the waiting pod there binds.
    const s1 = unique("s1");
    await createDaemonSet(daemonSet({ name: s1, pod: { nodeSelector: { group, role: "s1" } }, templateLabels: { security } }));
    await reconcile(s1);
    await waitFor("web bound beside the S1 pod", async () => placement(await podsOf(web)).includes(nodes[0]!.name), 10_000, 100);
    expect(placement(await podsOf(web))).toEqual([nodes[0]!.name, `pending:${nodes[1]!.name}`, `pending:${nodes[2]!.name}`].sort());
    const bound = (await podsOf(web)).find((p) => p.spec.nodeName === nodes[0]!.name)!;
    expect(bound.status?.conditions?.find((c) => c.type === "PodScheduled")).toMatchObject({ status: "True" });
    expect((await podEvents(bound.metadata.name!)).map((e) => e.message)).toContain(`Successfully assigned default/${bound.metadata.name} to ${nodes[0]!.name}`);
    await nodes[0]!.sync();
    expect([...nodes[0]!.pods.values()].map((p) => p.metadata.labels?.app).sort()).toEqual([s1, web].sort());

    // The S1 pod goes away: the web pod beside it keeps running (IgnoredDuringExecution).
    expect((await call("DELETE", `/apis/apps/v1/namespaces/default/daemonsets/${s1}`)).status).toBe(200);
    await reconcile(s1);
    for (let i = 0; i < 3; i++) await nodes[0]!.sync();
    await waitFor("the S1 pod gone", async () => (await podsOf(s1)).length === 0, 10_000, 100);
    await reconcile(web);
    expect(placement(await podsOf(web))).toEqual([nodes[0]!.name, `pending:${nodes[1]!.name}`, `pending:${nodes[2]!.name}`].sort());
  });

  it("binds when a static pod's mirror labelled security=S1 appears on the node", async () => {
    const security = unique("S1");
    const node = await enroll({ zone: unique("z") });
    const web = unique("web");
    await createDaemonSet(
      daemonSet({
        name: web,
        pod: {
          nodeSelector: { [hostname]: node.name },
          affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { security } }, topologyKey: hostname }] } },
        },
      }),
    );
    await reconcile(web);
    expect(placement(await podsOf(web))).toEqual([`pending:${node.name}`]);

    const staticPod = pod({
      name: `guard-${node.name}`,
      namespace: "default",
      labels: { security },
      annotations: { "kubernetes.io/config.hash": "h1", "kubernetes.io/config.source": "file" },
      nodeName: node.name,
      containers: [{ name: "guard", image: "busybox:1.36" }],
      status: { phase: "Running" },
    });
    const res = await call("POST", "/agent/v1/sync", { node: {}, pods: [], staticPods: [staticPod] }, { token: node.credential });
    expect(res.status).toBe(200);
    await waitFor("web bound beside the mirror pod", async () => placement(await podsOf(web)).includes(node.name), 10_000, 100);
  });

  it("keeps a running pod whose required anti-affinity a newcomer violates", async () => {
    const node = await enroll({ zone: unique("z") });
    const loner = unique("loner");
    const noisy = unique("noisy");
    await createDaemonSet(
      daemonSet({
        name: loner,
        pod: {
          nodeSelector: { [hostname]: node.name },
          affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: noisy } }, topologyKey: hostname }] } },
        },
      }),
    );
    await reconcile(loner);
    expect(placement(await podsOf(loner))).toEqual([node.name]);
    // The newcomer is kept off by the loner's anti-affinity (symmetry), and the loner stays.
    await createDaemonSet(daemonSet({ name: noisy, pod: { nodeSelector: { [hostname]: node.name } } }));
    await reconcile(noisy);
    expect(placement(await podsOf(noisy))).toEqual([`pending:${node.name}`]);
    expect((await podsOf(noisy))[0]!.status?.conditions?.[0]?.message).toContain("existing pods anti-affinity rules");
    await reconcile(loner);
    expect(placement(await podsOf(loner))).toEqual([node.name]);
  });

  it("deletes a Pending pod at once when its node stops matching (nothing runs it)", async () => {
    const site = unique("site");
    const node = await enroll({ site });
    const web = unique("web");
    await createDaemonSet(
      daemonSet({
        name: web,
        pod: {
          nodeSelector: { site },
          affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { security: unique("none") } }, topologyKey: hostname }] } },
        },
      }),
    );
    await reconcile(web);
    expect(placement(await podsOf(web))).toEqual([`pending:${node.name}`]);
    expect((await call("PATCH", `/api/v1/nodes/${node.name}`, { metadata: { labels: { site: null } } }, { contentType: "application/merge-patch+json" })).status).toBe(200);
    await reconcile(web);
    expect(await podsOf(web)).toEqual([]);
  });
});

describe("node affinity warnings", () => {
  it("skips an invalid term with a FailedPlacement Warning on the DaemonSet while the other term places pods", async () => {
    const tier = unique("tier");
    const [matching, other] = [await enroll({ tier, cores: "8" }), await enroll({ tier: unique("other"), cores: "8" })];
    const name = unique("warned");
    await createDaemonSet(
      daemonSet({
        name,
        pod: {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: [{ key: "cores", operator: "Gt", values: ["1.5"] }] }, { matchExpressions: [{ key: "tier", operator: "In", values: [tier] }] }],
              },
            },
          },
        },
      }),
    );
    await reconcile(name);
    const on = placement(await podsOf(name));
    expect(on).toContain(matching.name);
    expect(on).not.toContain(other.name);
    const warnings = (await eventsOf(name)).filter((e) => e.reason === "FailedPlacement");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ type: "Warning", involvedObject: { kind: "DaemonSet", name } });
    expect(warnings[0].message).toContain('nodeSelectorTerms[0].matchExpressions[0].values[0]: Invalid value: "1.5"');
    await reconcile(name);
    expect((await eventsOf(name)).filter((e) => e.reason === "FailedPlacement")).toHaveLength(1); // not repeated every pass
  });
});
