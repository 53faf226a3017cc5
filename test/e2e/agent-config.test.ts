/**
 * ConfigMaps and Secrets end to end, with the real Worker, two real agents and the real kubectl:
 * a DaemonSet whose process reads a mounted config file and an env var from a Secret; the
 * ConfigMap changed with kubectl and the file on every device changing in place within about a
 * sync interval, without a restart; a pod blocked on a missing key (CreateContainerConfigError
 * naming it) that starts by itself once the key is added.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestJson } from "../../scripts/lib/http.ts";
import type { PodSpec } from "../../src/resources/k8s-types.ts";
import { findWorkloads, killWorkloads, removeStateDir, startAgent, type AgentProcess } from "../support/agents.ts";
import { startControlPlane, type ControlPlane } from "../support/control-plane.ts";
import { createKubectl, type Kubectl, type RunOptions } from "../support/kubectl.ts";
import { daemonSet } from "../support/manifests.ts";
import { waitFor } from "../support/wait.ts";

const marker = `e2e-agent-config-${process.pid}`;
const out = mkdtempSync(join(tmpdir(), "edgeset-e2e-config-"));
let cp: ControlPlane;
let kubectl: Kubectl;
const agents: AgentProcess[] = [];

beforeAll(async () => {
  cp = await startControlPlane();
  kubectl = createKubectl(cp);
  agents.push(await startAgent(cp, { nodeName: "cfg-1", labels: { fleet: "cfg" } }));
  agents.push(await startAgent(cp, { nodeName: "cfg-2", labels: { fleet: "cfg" } }));
});

afterAll(async () => {
  for (const agent of agents) await agent.stop();
  killWorkloads(marker);
  agents.forEach(removeStateDir);
  kubectl?.cleanup();
  rmSync(out, { recursive: true, force: true });
  await cp?.stop();
});

const read = (file: string) => (existsSync(join(out, file)) ? readFileSync(join(out, file), "utf8") : undefined);

async function ok(...args: (string | RunOptions)[]): Promise<string> {
  const result = await kubectl.run(...args);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return result.stdout;
}

/** `kubectl create configmap … --dry-run=client -o yaml | kubectl apply -f -`: the usual way to change one from files. */
async function applyConfigMap(literals: Record<string, string>): Promise<void> {
  const args = Object.entries(literals).map(([k, v]) => `--from-literal=${k}=${v}`);
  const manifest = await ok("create", "configmap", "fluent-config", ...args, "--dry-run=client", "-o", "yaml");
  await ok("apply", "-f", "-", { stdin: manifest });
}

async function createDaemonSet(name: string, spec: Partial<PodSpec> & Pick<PodSpec, "containers">): Promise<void> {
  const res = await cp.api("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet({ name, nodeSelector: { fleet: "cfg" }, pod: { terminationGracePeriodSeconds: 1, ...spec } }));
  expect(res.status).toBe(201);
}

describe("ConfigMaps and Secrets on devices", () => {
  it("mounts the ConfigMap, passes the Secret, and updates the file in place on every device", async () => {
    await applyConfigMap({ "fluent.conf": "level=info" });
    await ok("create", "secret", "generic", "fluent-creds", "--from-literal=token=t0k3n");
    const script = `echo "$TOKEN" > ${out}/env-$NODE; while true; do cp "$EDGESET_POD_ROOT/etc/fluent/fluent.conf" ${out}/.conf-$NODE; mv ${out}/.conf-$NODE ${out}/conf-$NODE; sleep 0.1; done`;
    await createDaemonSet("fluent", {
      volumes: [{ name: "config", configMap: { name: "fluent-config" } }],
      containers: [
        {
          name: "fluent",
          image: "fluent/fluent-bit:3.0",
          command: ["sh", "-c", script, marker],
          env: [
            { name: "TOKEN", valueFrom: { secretKeyRef: { name: "fluent-creds", key: "token" } } },
            { name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
          ],
          volumeMounts: [{ name: "config", mountPath: "/etc/fluent", readOnly: true }],
        },
      ],
    });
    await waitFor("both devices reading the file", () => read("conf-cfg-1") === "level=info" && read("conf-cfg-2") === "level=info");
    expect([read("env-cfg-1"), read("env-cfg-2")]).toEqual(["t0k3n\n", "t0k3n\n"]);
    const pids = findWorkloads(marker).map((w) => w.pid).sort();
    expect(pids).toHaveLength(2);

    const changed = Date.now();
    await applyConfigMap({ "fluent.conf": "level=debug" });
    await waitFor("the file changed on both devices", () => read("conf-cfg-1") === "level=debug" && read("conf-cfg-2") === "level=debug", 10_000, 50);
    const took = Date.now() - changed;
    expect(findWorkloads(marker).map((w) => w.pid).sort()).toEqual(pids);
    const pods = (await cp.api("GET", "/api/v1/namespaces/default/pods?labelSelector=app%3Dfluent")).json().items;
    expect(pods.map((p: any) => p.status.containerStatuses[0].restartCount)).toEqual([0, 0]);
    // One sync interval is 1 s here; allow the sync's own round trip and a loaded machine.
    expect(took).toBeLessThan(4000);
  });

  it("blocks a start on a missing key, names it, and starts once the key exists", async () => {
    await createDaemonSet("strict", {
      containers: [
        {
          name: "main",
          image: "busybox:1.36",
          command: ["sh", "-c", `echo "$MODE" > ${out}/mode-$NODE; while true; do sleep 1; done`, `${marker}-strict`],
          env: [
            { name: "MODE", valueFrom: { configMapKeyRef: { name: "fluent-config", key: "mode" } } },
            { name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
          ],
        },
      ],
    });
    const waiting = await waitFor("the config error reported", async () => {
      const pods = (await cp.api("GET", "/api/v1/namespaces/default/pods?labelSelector=app%3Dstrict")).json().items;
      return pods.length === 2 && pods.every((p: any) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === "CreateContainerConfigError") && pods[0].status.containerStatuses[0].state.waiting;
    });
    expect(waiting.message).toBe("couldn't find key mode in ConfigMap default/fluent-config");
    expect(findWorkloads(`${marker}-strict`)).toEqual([]);

    await ok("patch", "configmap", "fluent-config", "--type=merge", "-p", JSON.stringify({ data: { mode: "strict" } }));
    await waitFor("the pods started on both devices", () => read("mode-cfg-1") === "strict\n" && read("mode-cfg-2") === "strict\n");
    await waitFor("the DaemonSet counting both ready", async () => (await cp.api("GET", "/apis/apps/v1/namespaces/default/daemonsets/strict")).json().status?.numberReady === 2);
  });

  it("refuses a device's credential another node's Secret, and any Secret through the API", async () => {
    const { credential } = JSON.parse(readFileSync(join(agents[0]!.stateDir, "credential.json"), "utf8")) as { credential: string };
    const res = await requestJson({ ...cp.connection, token: credential }, "GET", "/api/v1/namespaces/default/secrets");
    expect(res.status).toBe(403);
    const viaKubectl = await kubectl.run("get", "secrets", `--token=${credential}`);
    expect(viaKubectl.code).toBe(1);
    expect(viaKubectl.stderr).toContain("Forbidden");
  });

  it("manages them with kubectl, and never prints a Secret's values", async () => {
    const file = join(out, "app.properties");
    writeFileSync(file, "level=debug\n");
    expect(await ok("create", "configmap", "from-file", `--from-file=${file}`)).toContain("configmap/from-file created");
    expect(await ok("get", "configmap", "from-file", "-o", "jsonpath={.data.app\\.properties}")).toBe("level=debug\n");
    expect(await ok("get", "configmaps")).toMatch(/from-file\s+1\s+/);
    const described = await ok("describe", "secret", "fluent-creds");
    expect(described).toMatch(/token:\s+5 bytes/);
    expect(described).not.toContain("t0k3n");
    expect(await ok("delete", "configmap", "from-file")).toContain("deleted");
  });
});
