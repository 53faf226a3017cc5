/**
 * The real kubectl driving a DaemonSet through its life on two real agents: apply (client-side
 * three-way and server-side), get in every output kubectl offers, describe with Events, rollout
 * status / history / undo / restart, deleting a pod (replaced), wait, get -w, and delete. Every
 * assertion is on kubectl's own stdout, stderr and exit code.
 *
 * The agents are shared; each test has its own namespace and builds the DaemonSets it needs, so
 * any one of them runs alone (`-t`) and a failure does not cascade.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { findWorkloads, killWorkloads, removeStateDir, startAgent, workloadContainer, type AgentProcess } from "../support/agents.ts";
import { startControlPlane, type ControlPlane } from "../support/control-plane.ts";
import { createKubectl, type Kubectl, type KubectlResult } from "../support/kubectl.ts";
import { daemonSet } from "../support/manifests.ts";
import { waitFor } from "../support/wait.ts";

const marker = `e2e-kubectl-ds-${process.pid}`;
let cp: ControlPlane;
let k: Kubectl;
const agents: AgentProcess[] = [];

interface ManifestOptions {
  image?: string;
  extraContainer?: boolean;
  nodeSelector?: Record<string, string>;
  maxUnavailable?: number;
}

/** kubectl succeeded, and printed no warning or error. */
function ok(result: KubectlResult): string {
  expect(result.stderr, result.stdout).toBe("");
  expect(result.code).toBe(0);
  return result.stdout;
}

/** Table output as rows of cells (header first), split on the column gaps kubectl prints. */
const rows = (stdout: string) =>
  stdout
    .trimEnd()
    .split("\n")
    .map((line) => line.trim().split(/\s{2,}/));

/** One test's namespace: kubectl scoped to it, its workload marker, and its DaemonSet manifests. */
interface Scope {
  ns: string;
  marker: string;
  kubectl(...args: string[]): Promise<KubectlResult>;
  start(...args: string[]): ReturnType<Kubectl["start"]>;
  /** A DaemonSet manifest (JSON is YAML) running this scope's marked workload, written to a file. */
  file(name: string, options?: ManifestOptions): string;
  /** Applies the DaemonSet and waits until `kubectl rollout status` says it rolled out. */
  rolledOut(name: string, options?: ManifestOptions): Promise<void>;
  status(name: string): Promise<any>;
}

const scopes: Scope[] = [];

async function scope(ns: string): Promise<Scope> {
  // A delimiter on both sides: one test's marker is never a substring of another's.
  const own = `${marker}/${ns}/`;
  const manifest = (name: string, options: ManifestOptions = {}) => {
    const main = { ...workloadContainer(own), image: options.image ?? "busybox:1.36", ports: [{ containerPort: 8080 }] };
    return JSON.stringify(
      daemonSet({
        name,
        metadata: { labels: { app: name } },
        nodeSelector: options.nodeSelector,
        containers: options.extraContainer ? [{ ...workloadContainer(own, "sidecar"), env: [{ name: "MODE", value: "edge" }] }, main] : [main],
        spec: options.maxUnavailable ? { updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: options.maxUnavailable } } } : {},
      }),
    );
  };
  const s: Scope = {
    ns,
    marker: own,
    kubectl: (...args) => k.run("-n", ns, ...args),
    start: (...args) => k.start("-n", ns, ...args),
    file: (name, options) => k.file(`${ns}-${name}.yaml`, manifest(name, options)),
    async rolledOut(name, options) {
      ok(await s.kubectl("apply", "-f", s.file(name, options)));
      expect(ok(await s.kubectl("rollout", "status", `ds/${name}`, "--timeout=60s"))).toMatch(/successfully rolled out\n$/);
    },
    status: async (name) => (await cp.api("GET", `/apis/apps/v1/namespaces/${ns}/daemonsets/${name}`)).json(),
  };
  expect(ok(await k.run("create", "namespace", ns))).toBe(`namespace/${ns} created\n`);
  scopes.push(s);
  return s;
}

beforeAll(async () => {
  cp = await startControlPlane();
  k = createKubectl(cp);
  agents.push(...(await Promise.all([startAgent(cp, { nodeName: "kd-1", labels: { tier: "edge" } }), startAgent(cp, { nodeName: "kd-2", labels: { tier: "core" } })])));
  await waitFor("both nodes Ready", async () => {
    const { stdout } = await k.run("get", "nodes", "--no-headers");
    return rows(stdout).filter((r) => r[1] === "Ready").length === 2;
  });
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail" && cp) {
    const pods = (await cp.api("GET", "/api/v1/pods")).json().items.map((p: any) => `${p.metadata.namespace}/${p.metadata.name} ${p.spec.nodeName} ${p.status?.phase} del=${p.metadata.deletionTimestamp ?? ""}`);
    console.log(`DEBUG pods:\n${pods.join("\n")}\n${agents.map((a) => a.output().slice(-1000)).join("\n----\n")}`);
  }
  // Each test's DaemonSets go with its namespace, so the next test's devices are not crowded.
  for (const s of scopes.splice(0)) await k.run("delete", "namespace", s.ns, "--wait=false");
});

afterAll(async () => {
  await Promise.all(agents.map((agent) => agent.stop()));
  killWorkloads(marker);
  agents.forEach(removeStateDir);
  k?.cleanup();
  await cp?.stop();
});

describe("kubectl and a DaemonSet on two real devices", () => {
  it("apply creates, rollout status waits for the pods, and a second apply is unchanged", async () => {
    const s = await scope("kd-apply");
    const file = s.file("web");
    expect(ok(await s.kubectl("apply", "-f", file))).toBe("daemonset.apps/web created\n");
    const status = await s.kubectl("rollout", "status", "ds/web", "--timeout=60s");
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/daemon set "web" successfully rolled out\n$/);
    expect(ok(await s.kubectl("apply", "-f", file))).toBe("daemonset.apps/web unchanged\n");
    await waitFor("the workload on both nodes", () => findWorkloads(s.marker).length === 2);
  });

  it("get prints the Kubernetes columns for every kind and output format", async () => {
    const s = await scope("kd-get");
    await s.rolledOut("web");
    const ds = rows(ok(await s.kubectl("get", "ds", "web", "-o", "wide")));
    expect(ds[0]).toEqual(["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"]);
    expect(ds[1]).toEqual(["web", "2", "2", "2", "2", "2", "<none>", expect.stringMatching(/^\d+s$/), "main", "busybox:1.36", "app=web"]);

    const pods = rows(ok(await s.kubectl("get", "pods", "-l", "app=web", "-o", "wide")));
    expect(pods[0]).toEqual(["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"]);
    expect(pods.slice(1).map((r) => [r[1], r[2], r[6]]).sort()).toEqual([
      ["1/1", "Running", "kd-1"],
      ["1/1", "Running", "kd-2"],
    ]);

    const all = rows(ok(await k.run("get", "pods", "-A", "--show-labels")));
    expect(all[0]).toEqual(["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE", "LABELS"]);
    const mine = all.filter((r) => r[0] === s.ns);
    expect(mine).toHaveLength(2);
    expect(mine[0]![6]).toMatch(/^app=web,controller-revision-hash=[a-z0-9]+,pod-template-generation=1$/);

    const labelled = rows(ok(await k.run("get", "nodes", "-L", "tier")));
    expect(labelled[0]).toEqual(["NAME", "STATUS", "ROLES", "AGE", "VERSION", "TIER"]);
    expect(labelled.slice(1).map((r) => [r[0], r[1], r[5]])).toEqual([
      ["kd-1", "Ready", "edge"],
      ["kd-2", "Ready", "core"],
    ]);

    expect(rows(ok(await s.kubectl("get", "controllerrevisions")))).toEqual([
      ["NAME", "CONTROLLER", "REVISION", "AGE"],
      [expect.stringMatching(/^web-[a-z0-9]+$/), "daemonset.apps/web", "1", expect.any(String)],
    ]);

    expect(ok(await s.kubectl("get", "ds", "web", "-o", "jsonpath={.spec.updateStrategy.type} {.status.observedGeneration}"))).toBe("RollingUpdate 1");
    expect(rows(ok(await s.kubectl("get", "pods", "-l", "app=web", "-o", "custom-columns=NODE:.spec.nodeName,IMAGE:.spec.containers[0].image", "--sort-by=.spec.nodeName")))).toEqual([
      ["NODE", "IMAGE"],
      ["kd-1", "busybox:1.36"],
      ["kd-2", "busybox:1.36"],
    ]);
    const yaml = ok(await s.kubectl("get", "ds", "web", "-o", "yaml"));
    expect(yaml).toMatch(/^apiVersion: apps\/v1\nkind: DaemonSet\n/);
    expect(yaml).toContain("kubectl.kubernetes.io/last-applied-configuration");
    expect(JSON.parse(ok(await s.kubectl("get", "ds", "-o", "json"))).items.map((d: any) => d.metadata.name)).toEqual(["web"]);

    const everything = ok(await s.kubectl("get", "all"));
    expect(everything).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\npod\/web-/);
    expect(everything).toMatch(/\ndaemonset\.apps\/web\s+2\s+2\s+2\s+2\s+2\s+<none>/);
  });

  it("describe shows the DaemonSet with its pods and Events, a pod with its controller, a node with its lease", async () => {
    const s = await scope("kd-describe");
    await s.rolledOut("web");
    const ds = ok(await s.kubectl("describe", "ds", "web"));
    expect(ds).toMatch(/^Name:\s+web\nSelector:\s+app=web\n/);
    expect(ds).toMatch(/\nPods Status:\s+2 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed\n/);
    expect(ds).toMatch(/\n\s+Port:\s+8080\/TCP\n/);
    expect(ds).toMatch(/\nEvents:\n\s+Type\s+Reason\s+Age\s+From\s+Message\n/);
    // One SuccessfulCreate per pass, with its count (two pods: one Event x2, or two Events).
    expect(ds).toMatch(/Normal\s+SuccessfulCreate\s+.*daemonset-controller\s+(\(combined from similar events\): )?Created pod: web-/);

    const pod = ok(await s.kubectl("describe", "pod", "-l", "app=web"));
    expect(pod.match(/\nControlled By:\s+DaemonSet\/web\n/g)).toHaveLength(2);

    const node = ok(await k.run("describe", "node", "kd-1"));
    expect(node).toMatch(/\nLease:\n\s+HolderIdentity:\s+kd-1\n\s+AcquireTime:\s+<unset>\n\s+RenewTime:\s+\w{3}, /);
    expect(node).toMatch(/\n\s+Ready\s+True\s/);
    // Earlier tests' namespaces may still be draining, so the count is not checked, only the row.
    expect(node).toMatch(/\nNon-terminated Pods:\s+\(\d+ in total\)\n/);
    expect(node).toMatch(new RegExp(`\\n\\s+${s.ns}\\s+web-[a-z0-9]+\\s`));

    const events = rows(ok(await s.kubectl("get", "events", "--field-selector", "involvedObject.kind=DaemonSet,involvedObject.name=web")));
    expect(events[0]).toEqual(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]);
    expect(events.length).toBeGreaterThan(1);
    for (const r of events.slice(1)) expect([r[1], r[2], r[3]]).toEqual(["Normal", "SuccessfulCreate", "daemonset/web"]);
    const listed = JSON.parse(ok(await s.kubectl("get", "events", "--field-selector", "involvedObject.kind=DaemonSet,involvedObject.name=web", "-o", "json")));
    expect(listed.items.reduce((n: number, e: { count?: number }) => n + (e.count ?? 1), 0)).toBe(2);
  });

  it("apply computes a three-way patch: a sidecar and settings come, then go again", async () => {
    const s = await scope("kd-three-way");
    await s.rolledOut("web");
    expect(ok(await s.kubectl("apply", "-f", s.file("web", { extraContainer: true, image: "busybox:1.37", maxUnavailable: 2 })))).toBe("daemonset.apps/web configured\n");
    expect(ok(await s.kubectl("get", "ds", "web", "-o", "jsonpath={.spec.template.spec.containers[*].name} {.spec.updateStrategy.rollingUpdate.maxUnavailable}"))).toBe("sidecar main 2");
    expect(ok(await s.kubectl("apply", "-f", s.file("web", { image: "busybox:1.37" })))).toBe("daemonset.apps/web configured\n");
    // Dropped from the manifest → dropped from the object; updateStrategy is re-defaulted.
    expect(ok(await s.kubectl("get", "ds", "web", "-o", "jsonpath={.spec.template.spec.containers[*].name} {.spec.updateStrategy.rollingUpdate.maxUnavailable} {.metadata.generation}"))).toBe("main 1 3");
  });

  it("rollout status follows a rollout and ends the moment it completes", async () => {
    const s = await scope("kd-status");
    await s.rolledOut("web");
    expect(ok(await s.kubectl("apply", "-f", s.file("web", { image: "busybox:1.37" })))).toBe("daemonset.apps/web configured\n");
    const started = Date.now();
    let completedAt = 0;
    const watcher = s.start("rollout", "status", "ds/web");
    const poll = (async () => {
      while (!completedAt && Date.now() - started < 90_000) {
        const ds = await s.status("web");
        const st = ds.status ?? {};
        if (st.observedGeneration >= ds.metadata.generation && st.updatedNumberScheduled === 2 && st.numberAvailable === 2 && st.desiredNumberScheduled === 2) completedAt = Date.now();
        else await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const result = await watcher.done;
    const exitedAt = Date.now();
    await poll;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/daemon set "web" successfully rolled out\n$/);
    expect(completedAt).toBeGreaterThan(0);
    expect(exitedAt - completedAt).toBeLessThan(4000);

    const finished = Date.now();
    expect(ok(await s.kubectl("rollout", "status", "ds/web"))).toBe('daemon set "web" successfully rolled out\n');
    expect(Date.now() - finished).toBeLessThan(3000);
  });

  it("rollout history lists the revisions, undo rolls back, an unknown revision is an error", async () => {
    const s = await scope("kd-history");
    await s.rolledOut("web");
    await s.rolledOut("web", { extraContainer: true, image: "busybox:1.37" });
    await s.rolledOut("web", { image: "busybox:1.37" });
    expect(ok(await s.kubectl("rollout", "history", "ds/web"))).toMatch(/^daemonset\.apps\/web \nREVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>\n3\s+<none>\n/);
    const one = ok(await s.kubectl("rollout", "history", "ds/web", "--revision=1"));
    expect(one).toMatch(/^daemonset\.apps\/web with revision #1\nPod Template:\n/);
    expect(one).toMatch(/Image:\s+busybox:1\.36\n/);

    const missing = await s.kubectl("rollout", "undo", "ds/web", "--to-revision=9");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("error: unable to find specified revision 9 in history\n");

    expect(ok(await s.kubectl("rollout", "undo", "ds/web", "--to-revision=1"))).toBe("daemonset.apps/web rolled back\n");
    expect(ok(await s.kubectl("rollout", "status", "ds/web", "--timeout=60s"))).toMatch(/successfully rolled out\n$/);
    expect(ok(await s.kubectl("get", "ds", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}"))).toBe("busybox:1.36");
    // Revision 1's template is current again: it is renumbered to the newest.
    expect(ok(await s.kubectl("rollout", "history", "ds/web"))).toMatch(/\nREVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>\n4\s+<none>\n/);
  });

  it("rollout restart rolls every pod onto a new revision", async () => {
    const s = await scope("kd-restart");
    await s.rolledOut("web");
    const before = rows(ok(await s.kubectl("get", "pods", "-l", "app=web", "--no-headers"))).map((r) => r[0]);
    expect(ok(await s.kubectl("rollout", "restart", "ds/web"))).toBe("daemonset.apps/web restarted\n");
    expect(ok(await s.kubectl("rollout", "status", "ds/web", "--timeout=60s"))).toMatch(/successfully rolled out\n$/);
    expect(ok(await s.kubectl("get", "ds", "web", "-o", "jsonpath={.spec.template.metadata.annotations}"))).toMatch(/kubectl\.kubernetes\.io\/restartedAt/);
    await waitFor("only new pods", async () => {
      const after = rows((await s.kubectl("get", "pods", "-l", "app=web", "--no-headers")).stdout).map((r) => r[0]);
      return after.length === 2 && after.every((name) => !before.includes(name));
    });
    expect(ok(await s.kubectl("rollout", "history", "ds/web"))).toMatch(/\n2\s+<none>\n\n$/);
  });

  it("apply --server-side updates the object, and refuses another manager's change unless forced", async () => {
    const s = await scope("kd-ssa");
    await s.rolledOut("web");
    expect(ok(await s.kubectl("apply", "--server-side", "-f", s.file("web", { image: "busybox:1.35" })))).toBe("daemonset.apps/web serverside-applied\n");
    expect(ok(await s.kubectl("get", "ds", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}"))).toBe("busybox:1.35");
    const rival = s.file("web", { image: "busybox:1.34" });
    const conflict = await s.kubectl("apply", "--server-side", "--field-manager=rival", "-f", rival);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toMatch(/^error: Apply failed with 1 conflict: conflict with "kubectl": \.spec\.template\.spec\.containers\[name="main"\]\.image\nPlease review the fields above--they currently have other managers\./);
    expect(ok(await s.kubectl("apply", "--server-side", "--field-manager=rival", "--force-conflicts", "-f", rival))).toBe("daemonset.apps/web serverside-applied\n");
    expect(ok(await s.kubectl("get", "ds", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}"))).toBe("busybox:1.34");
    expect(ok(await s.kubectl("apply", "--server-side", "-f", s.file("ssa-new", { nodeSelector: { tier: "edge" } })))).toBe("daemonset.apps/ssa-new serverside-applied\n");
    expect(ok(await s.kubectl("rollout", "status", "ds/web", "--timeout=60s"))).toMatch(/successfully rolled out\n$/);
    expect(ok(await s.kubectl("rollout", "status", "ds/ssa-new", "--timeout=60s"))).toMatch(/successfully rolled out\n$/);
    expect(ok(await s.kubectl("get", "pods", "-l", "app=ssa-new", "-o", "jsonpath={.items[*].spec.nodeName}"))).toBe("kd-1");
  });

  it("a deleted pod is replaced, get -w shows it happen, and wait sees the new pod Ready", async () => {
    const s = await scope("kd-replace");
    await s.rolledOut("web");
    const before = rows(ok(await s.kubectl("get", "pods", "-l", "app=web", "--no-headers"))).map((r) => r[0]);
    const [victim] = rows(ok(await s.kubectl("get", "pods", "-l", "app=web", "--no-headers", "--field-selector", "spec.nodeName=kd-1"))).map((r) => r[0]);
    const watch = s.start("get", "pods", "-l", "app=web", "-w", "--output-watch-events");
    await waitFor("the watch listing", () => watch.stdout().includes(victim!));
    const deleted = await s.kubectl("delete", "pod", victim!);
    expect(deleted).toEqual({ stdout: `pod "${victim}" deleted\n`, stderr: "", code: 0 });
    // The watch reports the state at each poll: a replacement that starts within one poll comes
    // as a single ADDED Running; otherwise ADDED Pending, then MODIFIED Running.
    const replacementRunning = () =>
      [...watch.stdout().matchAll(/\n(ADDED|MODIFIED)\s+(web-\S+)\s+1\/1\s+Running/g)].some((m) => m[2] !== victim && !before.includes(m[2]!));
    await waitFor("the replacement running in the watch", replacementRunning);
    watch.stop();
    expect(watch.stdout()).toMatch(new RegExp(`\\n(DELETED|MODIFIED)\\s+${victim}\\s+\\S+\\s+Terminating`));
    const waited = ok(await s.kubectl("wait", "--for=condition=Ready", "pod", "-l", "app=web", "--timeout=60s"));
    expect(waited.trimEnd().split("\n")).toEqual([expect.stringMatching(/^pod\/web-\S+ condition met$/), expect.stringMatching(/^pod\/web-\S+ condition met$/)]);
    expect(waited).not.toContain(victim);
  });

  it("get -w on DaemonSets prints a row per change", async () => {
    const s = await scope("kd-watch");
    await s.rolledOut("web");
    const watch = s.start("get", "ds", "web", "-w");
    await waitFor("the first row", () => watch.stdout().split("\n").length >= 3);
    expect(ok(await s.kubectl("annotate", "ds", "web", "team=edge"))).toBe("daemonset.apps/web annotated\n");
    await waitFor("a second row", () => watch.stdout().trimEnd().split("\n").length >= 3);
    watch.stop();
    expect(rows(watch.stdout())[0]).toEqual(["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"]);
    expect(watch.stderr()).toBe("");
  });

  it("delete removes the DaemonSet, its pods and its revisions, and waits until it is gone", async () => {
    const s = await scope("kd-delete");
    await s.rolledOut("web");
    await s.rolledOut("ssa-new", { nodeSelector: { tier: "edge" } });
    const deleted = await s.kubectl("delete", "ds", "web", "ssa-new");
    expect(deleted).toEqual({ stdout: 'daemonset.apps "web" deleted\ndaemonset.apps "ssa-new" deleted\n', stderr: "", code: 0 });
    const missing = await s.kubectl("get", "ds", "web");
    expect(missing).toEqual({ stdout: "", stderr: 'Error from server (NotFound): daemonsets.apps "web" not found\n', code: 1 });
    await waitFor("every workload stopped", () => findWorkloads(s.marker).length === 0, 60_000);
    await waitFor("no pods left", async () => (await s.kubectl("get", "pods")).stderr === `No resources found in ${s.ns} namespace.\n`, 60_000);
    await waitFor("no revisions left", async () => (await s.kubectl("get", "controllerrevisions")).stderr === `No resources found in ${s.ns} namespace.\n`);
  });
});
