/**
 * The real kubectl against the API surface itself, with one real agent for a node to work on:
 * discovery and version, explain from the OpenAPI documents, field validation (Strict, Warn,
 * Ignore), the errors kubectl prints exactly as it does for Kubernetes (NotFound, AlreadyExists,
 * Conflict, Invalid, BadRequest, Forbidden, Unauthorized), node labels, annotations, cordon and
 * taints, the older DaemonSet API versions, and list paging. Assertions are on kubectl's output.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killWorkloads, removeStateDir, startAgent, workloadContainer, type AgentProcess } from "../support/agents.ts";
import { startControlPlane, type ControlPlane } from "../support/control-plane.ts";
import { createKubectl, type Kubectl, type KubectlResult } from "../support/kubectl.ts";
import { daemonSet } from "../support/manifests.ts";
import { waitFor } from "../support/wait.ts";


const marker = `e2e-kubectl-api-${process.pid}`;
let cp: ControlPlane;
let k: Kubectl;
let agent: AgentProcess | undefined;

function manifest(name: string, options: { apiVersion?: string; extra?: Record<string, unknown>; containerExtra?: Record<string, unknown>; noSelector?: boolean } = {}) {
  const ds = daemonSet({
    name,
    apiVersion: options.apiVersion,
    // A selector nobody has: these DaemonSets exercise the API, not the device.
    nodeSelector: { "e2e.edgeset.dev/none": "true" },
    containers: [{ ...workloadContainer(marker), ...options.containerExtra }],
  });
  const { selector, ...rest } = ds.spec;
  // Fields the API refuses or warns about are written in as they are.
  return JSON.stringify({ ...ds, spec: { ...(options.noSelector ? {} : { selector }), ...rest, ...options.extra } });
}

function ok(result: KubectlResult): string {
  expect(result.stderr, result.stdout).toBe("");
  expect(result.code).toBe(0);
  return result.stdout;
}

function fails(result: KubectlResult, stderr: string | RegExp): void {
  if (typeof stderr === "string") expect(result.stderr).toBe(stderr);
  else expect(result.stderr).toMatch(stderr);
  expect(result.stdout).toBe("");
  expect(result.code).toBe(1);
}

beforeAll(async () => {
  cp = await startControlPlane();
  k = createKubectl(cp);
  agent = await startAgent(cp, { nodeName: "ka-1", labels: { site: "lab" } });
  await waitFor("the node Ready", async () => /\bka-1\s+Ready\b/.test((await k.run("get", "nodes")).stdout));
});

afterAll(async () => {
  await agent?.stop();
  killWorkloads(marker);
  if (agent) removeStateDir(agent);
  k?.cleanup();
  await cp?.stop();
});

describe("discovery, version and explain", () => {
  it("kubectl version shows the server version without a skew warning", async () => {
    const out = ok(await k.run("version"));
    expect(out).toMatch(/\nServer Version: v1\.32\.0-edgeset\n$/);
  });

  it("api-resources lists the kinds with their short names, scope and kind", async () => {
    const out = ok(await k.run("api-resources"));
    const lines = out.trimEnd().split("\n").map((l) => l.trim().split(/\s+/));
    expect(lines[0]).toEqual(["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]);
    expect(lines).toContainEqual(["daemonsets", "ds", "apps/v1", "true", "DaemonSet"]);
    expect(lines).toContainEqual(["controllerrevisions", "apps/v1", "true", "ControllerRevision"]);
    expect(lines).toContainEqual(["pods", "po", "v1", "true", "Pod"]);
    expect(lines).toContainEqual(["nodes", "no", "v1", "false", "Node"]);
    expect(lines).toContainEqual(["events", "ev", "v1", "true", "Event"]);
    expect(lines).toContainEqual(["leases", "coordination.k8s.io/v1", "true", "Lease"]);
    // The extensions DaemonSets carry no short name: no "could also match" warning on `get ds`.
    expect(lines).toContainEqual(["daemonsets", "extensions/v1beta1", "true", "DaemonSet"]);
    const verbs = ok(await k.run("api-resources", "--api-group=apps", "-o", "wide"));
    expect(verbs).toMatch(/\ndaemonsets\s+ds\s+apps\/v1\s+true\s+DaemonSet\s+create,delete,deletecollection,get,list,patch,update,watch\s+all\n/);
  });

  it("auth can-i answers yes for the admin token (SelfSubjectAccessReview)", async () => {
    expect(ok(await k.run("auth", "can-i", "create", "daemonsets"))).toBe("yes\n");
    expect(ok(await k.run("auth", "can-i", "delete", "pods", "-n", "kube-system"))).toBe("yes\n");
  });

  it("explain prints field documentation from the OpenAPI v3 document", async () => {
    const out = ok(await k.run("explain", "daemonset.spec.updateStrategy"));
    expect(out).toContain("GROUP:      apps\nKIND:       DaemonSet\nVERSION:    v1\n\nFIELD: updateStrategy <DaemonSetUpdateStrategy>\n");
    expect(out).toContain("DESCRIPTION:\n    An update strategy to replace existing DaemonSet pods with new pods.\n");
    expect(out).toMatch(/\n  rollingUpdate\t<RollingUpdateDaemonSet>\n    Rolling update config params\. Present only if type = "RollingUpdate"\.\n/);
    expect(out).toMatch(/\n  type\t<string>\n  enum: OnDelete, RollingUpdate\n    Type of daemon set update\. Can be "RollingUpdate" or "OnDelete"\. Default is\n    RollingUpdate\./);
    expect(ok(await k.run("explain", "ds.spec.updateStrategy.rollingUpdate.maxSurge"))).toContain("FIELD: maxSurge <IntOrString>\n");
    expect(ok(await k.run("explain", "pods.spec.nodeName"))).toMatch(/FIELD: nodeName <string>\n+DESCRIPTION:\n    NodeName indicates in which node this pod is scheduled\./);
  });
});

describe("errors, printed as Kubernetes'", () => {
  it("a wrong token: You must be logged in", async () => {
    ok(await k.run("get", "nodes")); // discovery cached, as for a user whose token was rotated
    const rotated = k.withConnection({ ...cp.connection, token: "not-the-token" }, { shareCache: true });
    const cold = k.withConnection({ ...cp.connection, token: "not-the-token" });
    try {
      fails(await rotated.run("get", "ds"), "error: You must be logged in to the server (Unauthorized)\n");
      // Without cached discovery, discovery itself is refused first: kubectl words it differently.
      fails(await cold.run("get", "ds"), /^(E.* "Unhandled Error" err="couldn't get current server API group list: the server has asked for the client to provide credentials"\n)+error: You must be logged in to the server \(the server has asked for the client to provide credentials\)\n$/);
    } finally {
      rotated.cleanup();
      cold.cleanup();
    }
  });

  it("a missing token: You must be logged in", async () => {
    // A blank token: kubectl sends `Authorization: Bearer` with nothing after it. (A kubeconfig with
    // no credentials at all makes kubectl prompt for a username before any request is sent.)
    const text = readFileSync(k.kubeconfig, "utf8").replace(/^( +)token: .*$/m, '$1token: " "');
    const anonymous = k.withKubeconfig(text, { shareCache: true });
    try {
      fails(await anonymous.run("get", "ds"), "error: You must be logged in to the server (Unauthorized)\n");
      fails(await anonymous.run("delete", "node", "ka-1"), "error: You must be logged in to the server (Unauthorized)\n");
    } finally {
      anonymous.cleanup();
    }
  });

  it("NotFound for get, describe and delete of a missing object", async () => {
    fails(await k.run("get", "ds", "nope"), 'Error from server (NotFound): daemonsets.apps "nope" not found\n');
    fails(await k.run("delete", "ds", "nope"), 'Error from server (NotFound): daemonsets.apps "nope" not found\n');
    fails(await k.run("get", "node", "nope"), 'Error from server (NotFound): nodes "nope" not found\n');
    fails(await k.run("describe", "ds", "nope"), 'Error from server (NotFound): daemonsets.apps "nope" not found\n');
  });

  it("AlreadyExists when creating twice", async () => {
    const file = k.file("dup.yaml", manifest("dup"));
    expect(ok(await k.run("create", "-f", file))).toBe("daemonset.apps/dup created\n");
    fails(await k.run("create", "-f", file), `Error from server (AlreadyExists): error when creating "${file}": daemonsets.apps "dup" already exists\n`);
  });

  it("Conflict when replacing with a stale resourceVersion; replace works with a fresh one", async () => {
    const stale = k.file("dup-stale.yaml", ok(await k.run("get", "ds", "dup", "-o", "yaml")));
    expect(ok(await k.run("annotate", "ds", "dup", "touched=yes"))).toBe("daemonset.apps/dup annotated\n");
    fails(
      await k.run("replace", "-f", stale),
      `Error from server (Conflict): error when replacing "${stale}": Operation cannot be fulfilled on daemonsets.apps "dup": the object has been modified; please apply your changes to the latest version and try again\n`,
    );
    const fresh = k.file("dup-fresh.yaml", manifest("dup", { extra: { minReadySeconds: 5 } }));
    expect(ok(await k.run("replace", "-f", fresh))).toBe("daemonset.apps/dup replaced\n");
    expect(ok(await k.run("get", "ds", "dup", "-o", "jsonpath={.spec.minReadySeconds}"))).toBe("5");
  });

  it("Invalid with one line per cause", async () => {
    const file = k.file("invalid.yaml", manifest("invalid", { noSelector: true }));
    fails(
      await k.run("create", "-f", file),
      'The DaemonSet "invalid" is invalid: \n* spec.selector: Required value\n* spec.template.metadata.labels: Invalid value: {"app":"invalid"}: `selector` does not match template `labels`\n',
    );
    const badImage = k.file("invalid2.yaml", manifest("invalid2", { containerExtra: { image: "" } }));
    fails(await k.run("apply", "-f", badImage), /^The DaemonSet "invalid2" is invalid: spec\.template\.spec\.containers\[0\]\.image: Required value\n$/);
  });

  it("unknown fields: rejected under strict validation, warned about under warn, dropped under ignore", async () => {
    const file = k.file("unknown.yaml", manifest("unknown", { extra: { foo: 1 }, containerExtra: { bogus: true } }));
    fails(
      await k.run("apply", "-f", file),
      `Error from server (BadRequest): error when creating "${file}": DaemonSet in version "v1" cannot be handled as a DaemonSet: strict decoding error: unknown field "spec.foo", unknown field "spec.template.spec.containers[0].bogus"\n`,
    );
    const warned = await k.run("create", "-f", file, "--validate=warn");
    expect(warned).toEqual({ stdout: "daemonset.apps/unknown created\n", stderr: 'Warning: unknown field "spec.foo"\nWarning: unknown field "spec.template.spec.containers[0].bogus"\n', code: 0 });
    ok(await k.run("delete", "ds", "unknown"));
    expect(ok(await k.run("create", "-f", file, "--validate=false"))).toBe("daemonset.apps/unknown created\n");
    const stored = JSON.parse(ok(await k.run("get", "ds", "unknown", "-o", "json")));
    expect(stored.spec.foo).toBeUndefined();
    expect(stored.spec.template.spec.containers[0].bogus).toBeUndefined();
  });

  it("Forbidden for a namespace that may not be deleted", async () => {
    fails(await k.run("delete", "namespace", "default"), 'Error from server (Forbidden): namespaces "default" is forbidden: this namespace may not be deleted\n');
  });

  it("an unknown revision for rollout undo", async () => {
    fails(await k.run("rollout", "undo", "ds/dup", "--to-revision=7"), "error: unable to find specified revision 7 in history\n");
  });
});

describe("nodes: label, annotate, cordon, taint, describe", () => {
  it("label adds, refuses to overwrite without --overwrite, and removes", async () => {
    expect(ok(await k.run("label", "node", "ka-1", "disktype=ssd"))).toBe("node/ka-1 labeled\n");
    fails(await k.run("label", "node", "ka-1", "disktype=hdd"), "error: 'disktype' already has a value (ssd), and --overwrite is false\n");
    expect(ok(await k.run("label", "node", "ka-1", "disktype=hdd", "--overwrite"))).toBe("node/ka-1 labeled\n");
    expect(ok(await k.run("get", "nodes", "-l", "disktype=hdd", "-o", "name"))).toBe("node/ka-1\n");
    expect(ok(await k.run("label", "node", "ka-1", "disktype-"))).toBe("node/ka-1 unlabeled\n");
    expect(await k.run("get", "nodes", "-l", "disktype")).toEqual({ stdout: "", stderr: "No resources found\n", code: 0 });
  });

  it("annotate sets and removes an annotation", async () => {
    expect(ok(await k.run("annotate", "node", "ka-1", "edgeset.dev/rack=r7"))).toBe("node/ka-1 annotated\n");
    expect(ok(await k.run("get", "node", "ka-1", "-o", "jsonpath={.metadata.annotations.edgeset\\.dev/rack}"))).toBe("r7");
    expect(ok(await k.run("annotate", "node", "ka-1", "edgeset.dev/rack-"))).toBe("node/ka-1 annotated\n");
  });

  it("cordon shows SchedulingDisabled until uncordon", async () => {
    expect(ok(await k.run("cordon", "ka-1"))).toBe("node/ka-1 cordoned\n");
    expect(ok(await k.run("get", "node", "ka-1", "--no-headers"))).toMatch(/^ka-1\s+Ready,SchedulingDisabled\s/);
    expect(ok(await k.run("cordon", "ka-1"))).toBe("node/ka-1 already cordoned\n");
    expect(ok(await k.run("uncordon", "ka-1"))).toBe("node/ka-1 uncordoned\n");
    expect(ok(await k.run("get", "node", "ka-1", "--no-headers"))).toMatch(/^ka-1\s+Ready\s/);
  });

  it("taint adds taints (newest first) and removes them by key and effect", async () => {
    expect(ok(await k.run("taint", "nodes", "ka-1", "k1=v1:NoSchedule"))).toBe("node/ka-1 tainted\n");
    expect(ok(await k.run("taint", "nodes", "ka-1", "k2=v2:NoExecute"))).toBe("node/ka-1 tainted\n");
    expect(JSON.parse(ok(await k.run("get", "node", "ka-1", "-o", "jsonpath={.spec.taints}")))).toEqual([
      { effect: "NoExecute", key: "k2", value: "v2" },
      { effect: "NoSchedule", key: "k1", value: "v1" },
    ]);
    expect(ok(await k.run("describe", "node", "ka-1"))).toMatch(/\nTaints:\s+k2=v2:NoExecute\n\s+k1=v1:NoSchedule\n/);
    expect(ok(await k.run("taint", "nodes", "ka-1", "k1:NoSchedule-"))).toBe("node/ka-1 untainted\n");
    expect(ok(await k.run("taint", "nodes", "ka-1", "k2-"))).toBe("node/ka-1 untainted\n");
    expect(ok(await k.run("get", "node", "ka-1", "-o", "jsonpath={.spec.taints}"))).toBe("");
  });

  it("describe node shows its conditions, addresses, lease and events query", async () => {
    const out = ok(await k.run("describe", "node", "ka-1"));
    expect(out).toMatch(/^Name:\s+ka-1\nRoles:\s+<none>\nLabels:\s+kubernetes\.io\/arch=/);
    expect(out).toMatch(/\nUnschedulable:\s+false\n/);
    expect(out).toMatch(/\nLease:\n\s+HolderIdentity:\s+ka-1\n/);
    expect(out).toMatch(/\n\s+Ready\s+True\s/);
    expect(out).toMatch(/\nAddresses:\n\s+InternalIP:\s+\S+\n/);
    expect(out).toMatch(/\nNon-terminated Pods:\s+\(0 in total\)\n/);
    expect(ok(await k.run("get", "lease", "ka-1", "-n", "kube-node-lease", "--no-headers"))).toMatch(/^ka-1\s+ka-1\s+\S+\n$/);
  });
});

describe("DaemonSet API versions and lists", () => {
  it("extensions/v1beta1 and apps/v1beta2 manifests are served and read back in every version", async () => {
    const ext = k.file("ext.yaml", manifest("legacy", { apiVersion: "extensions/v1beta1", noSelector: true }));
    expect(ok(await k.run("apply", "-f", ext))).toBe("daemonset.extensions/legacy created\n");
    expect(ok(await k.run("get", "daemonsets.v1.apps", "legacy", "-o", "jsonpath={.apiVersion} {.spec.updateStrategy.type} {.spec.selector.matchLabels.app}"))).toBe(
      "apps/v1 OnDelete legacy",
    );
    expect(ok(await k.run("get", "daemonsets.v1beta1.extensions", "legacy", "-o", "jsonpath={.apiVersion} {.spec.templateGeneration}"))).toBe("extensions/v1beta1 1");
    const beta2 = k.file("beta2.yaml", manifest("beta2", { apiVersion: "apps/v1beta2" }));
    expect(ok(await k.run("apply", "-f", beta2))).toBe("daemonset.apps/beta2 created\n");
    expect(ok(await k.run("get", "daemonsets.v1beta2.apps", "beta2", "-o", "jsonpath={.apiVersion} {.spec.updateStrategy.type}"))).toBe("apps/v1beta2 RollingUpdate");
    expect(ok(await k.run("get", "daemonsets.v1beta1.extensions", "beta2", "-o", "jsonpath={.spec.updateStrategy.type}"))).toBe("RollingUpdate");
  });

  it("lists page with limit and continue", async () => {
    const raw = JSON.parse(ok(await k.run("get", "--raw", "/apis/apps/v1/namespaces/default/daemonsets?limit=2")));
    expect(raw.items).toHaveLength(2);
    expect(raw.metadata.continue).toEqual(expect.any(String));
    expect(raw.metadata.resourceVersion).toMatch(/^\d+$/);
    const rest = JSON.parse(ok(await k.run("get", "--raw", `/apis/apps/v1/namespaces/default/daemonsets?limit=2&continue=${encodeURIComponent(raw.metadata.continue)}`)));
    const names = [...raw.items, ...rest.items].map((d: any) => d.metadata.name);
    expect(new Set(names).size).toBe(names.length);
    const all = ok(await k.run("get", "ds", "--chunk-size=1", "-o", "name"));
    expect(all.trimEnd().split("\n").sort()).toEqual(["daemonset.apps/beta2", "daemonset.apps/dup", "daemonset.apps/legacy", "daemonset.apps/unknown"]);
  });

  it("namespaces: create (a protobuf body from kubectl's typed client), use, delete", async () => {
    expect(ok(await k.run("create", "namespace", "shop"))).toBe("namespace/shop created\n");
    fails(await k.run("create", "namespace", "shop"), 'Error from server (AlreadyExists): namespaces "shop" already exists\n');
    expect(ok(await k.run("create", "-f", k.file("shop-ds.yaml", manifest("in-shop")), "-n", "shop"))).toBe("daemonset.apps/in-shop created\n");
    expect(ok(await k.run("get", "ds", "-A", "--no-headers", "-o", "custom-columns=NS:.metadata.namespace,NAME:.metadata.name"))).toMatch(/\nshop\s+in-shop\n/);
    expect(ok(await k.run("delete", "namespace", "shop"))).toBe('namespace "shop" deleted\n');
    fails(await k.run("get", "ds", "in-shop", "-n", "shop"), 'Error from server (NotFound): namespaces "shop" not found\n');
  });

  it("delete cascades by default and orphans on request", async () => {
    expect(ok(await k.run("delete", "ds", "beta2", "dup", "unknown"))).toBe('daemonset.apps "beta2" deleted\ndaemonset.apps "dup" deleted\ndaemonset.apps "unknown" deleted\n');
    expect(ok(await k.run("delete", "ds", "legacy", "--cascade=orphan"))).toBe('daemonset.apps "legacy" deleted\n');
    await waitFor("the cascaded revisions gone, the orphaned one kept", async () => {
      const out = (await k.run("get", "controllerrevisions", "--no-headers")).stdout;
      return /^legacy-\S+\s+<none>\s+1\s/.test(out) && out.trimEnd().split("\n").length === 1;
    });
  });
});
