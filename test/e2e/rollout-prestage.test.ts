/**
 * Pre-staging end to end (docs/rollouts.md, "Pre-staging"): the real Worker, three real agents
 * each with its own stand-in `docker` whose pulls take 8 s (a slow link), and real kubectl.
 *
 * - baseline, without pre-staging: `kubectl set image` rolls out, and each device's unavailable
 *   window (from its old pod going to its new pod Ready, sampled every 100 ms) holds the pull;
 * - with `rollout.edgeset.dev/prestage` on a paused rollout: every device pulls the new image and
 *   reports it staged (`staged=3` in `kubectl describe ds`) before its turn, with nothing started;
 *   after the resume no device pulls, and every window is shorter than the baseline's shortest.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type FakeEngine, installFakeEngine } from "../../agent/testing/fake-engine-setup.ts";
import { removeStateDir, startAgent, type AgentProcess } from "../support/agents.ts";
import { startControlPlane, type ControlPlane } from "../support/control-plane.ts";
import { createKubectl, type Kubectl } from "../support/kubectl.ts";
import { waitFor } from "../support/wait.ts";

const root = mkdtempSync(join(tmpdir(), "edgeset-e2e-prestage-"));
const fleet = `prestage-${process.pid}`;
const nodes = ["ps-1", "ps-2", "ps-3"];
const pullDelayMs = 8000;

let cp: ControlPlane;
let kubectl: Kubectl;
const agents: AgentProcess[] = [];
const engines = new Map<string, FakeEngine>();

beforeAll(async () => {
  cp = await startControlPlane();
  kubectl = createKubectl(cp);
  for (const nodeName of nodes) {
    // One engine per device: an image one device pulled is not there for the others.
    const engine = installFakeEngine(join(root, nodeName), "docker", { images: ["registry.example/web:1", "registry.example/plain:1"], pullDelayMs });
    engines.set(nodeName, engine);
    agents.push(
      await startAgent(cp, { nodeName, labels: { fleet }, extraArgs: ["--runtime", "docker", "--runtimes", "docker"], env: { PATH: `${dirname(engine.command)}:${process.env.PATH}` } }),
    );
  }
  for (const node of nodes) {
    await waitFor(`${node} Ready`, async () => (await cp.api("GET", `/api/v1/nodes/${node}`)).json().status?.conditions?.some((c: any) => c.type === "Ready" && c.status === "True"), 60_000);
  }
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail") for (const agent of agents) console.log(`--- ${agent.nodeName}\n${agent.output().slice(-4000)}`);
});

afterAll(async () => {
  await Promise.all(agents.map((agent) => agent.stop()));
  agents.forEach(removeStateDir);
  kubectl?.cleanup();
  await cp?.stop();
  rmSync(root, { recursive: true, force: true });
});

function daemonSet(name: string, image: string, annotations: Record<string, string> = {}) {
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name, annotations },
    spec: {
      selector: { matchLabels: { app: name } },
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
      template: { metadata: { labels: { app: name } }, spec: { nodeSelector: { fleet }, terminationGracePeriodSeconds: 1, containers: [{ name: "web", image }] } },
    },
  };
}

async function apply(manifest: object): Promise<void> {
  const res = await kubectl.run("apply", "-f", "-", { stdin: JSON.stringify(manifest) });
  expect(res.code, res.stderr).toBe(0);
}

async function rolloutStatus(name: string): Promise<void> {
  const res = await kubectl.run("rollout", "status", `ds/${name}`, "--timeout=120s", { timeoutMs: 130_000 });
  expect(res.code, res.stderr).toBe(0);
}

const podsOf = async (name: string) => (await cp.api("GET", `/api/v1/namespaces/default/pods?labelSelector=app%3D${name}`)).json().items as any[];
const isAvailable = (pod: any) => !pod.metadata.deletionTimestamp && pod.status?.conditions?.some((c: any) => c.type === "Ready" && c.status === "True");
const pullsOf = (engine: FakeEngine, image: string) => engine.calls().filter((c) => c.includes("pull") && c.includes(image)).length;

/**
 * Samples the DaemonSet's pods every 100 ms and returns, per node, how long it was without an
 * available pod of `image` after losing its old one (the device's unavailable window).
 */
function measureWindows(name: string, image: string) {
  const since = new Map<string, number>();
  const windows = new Map<string, number>();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const pods = await podsOf(name);
      const at = Date.now();
      for (const node of nodes) {
        const onNode = pods.filter((p) => p.spec.nodeName === node);
        const available = onNode.some(isAvailable);
        if (!available && !since.has(node) && !windows.has(node)) since.set(node, at);
        if (since.has(node) && onNode.some((p) => isAvailable(p) && p.spec.containers[0].image === image)) {
          windows.set(node, at - since.get(node)!);
          since.delete(node);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return {
    async stop(): Promise<number[]> {
      stopped = true;
      await loop;
      expect([...windows.keys()].sort(), "every node went through one window").toEqual(nodes);
      return nodes.map((node) => windows.get(node)!);
    },
  };
}

describe("pre-staging", () => {
  let baseline: number[] = [];

  it("baseline: without pre-staging each device's unavailable window holds its pull", async () => {
    await apply(daemonSet("plain", "registry.example/plain:1"));
    await rolloutStatus("plain");
    const windows = measureWindows("plain", "registry.example/plain:2");
    expect((await kubectl.run("set", "image", "ds/plain", "web=registry.example/plain:2")).code).toBe(0);
    await rolloutStatus("plain");
    await waitFor("every node's new pod seen available", async () => (await podsOf("plain")).filter(isAvailable).length === nodes.length);
    baseline = await windows.stop();
    console.log(`unavailable windows without pre-staging (ms): ${baseline.join(", ")}`);
    for (const window of baseline) expect(window).toBeGreaterThanOrEqual(pullDelayMs);
  }, 180_000);

  it("stages the new revision on every device before its turn, and each window is only the restart", async () => {
    await apply(daemonSet("staged", "registry.example/web:1", { "rollout.edgeset.dev/prestage": "true", "rollout.edgeset.dev/paused": "true" }));
    await rolloutStatus("staged");
    expect((await kubectl.run("set", "image", "ds/staged", "web=registry.example/web:2")).code).toBe(0);

    const describe = await waitFor(
      "staged=3 in kubectl describe ds",
      async () => {
        const res = await kubectl.run("describe", "ds/staged");
        return / staged=3/.test(res.stdout) && res.stdout;
      },
      60_000,
    );
    expect(describe).toContain("updated=0/3");
    for (const [node, engine] of engines) {
      expect(pullsOf(engine, "registry.example/web:2"), node).toBe(1);
      expect(engine.state().images, node).toContain("registry.example/web:2");
      // Staged, not started: the device still runs only v1 of this DaemonSet.
      expect(engine.containers().filter((c) => c.Image === "registry.example/web:2" && c.State.Running), node).toEqual([]);
    }
    const pods = await podsOf("staged");
    expect(pods.map((p) => p.status.conditions.find((c: any) => c.type === "rollout.edgeset.dev/Staged"))).toEqual(
      nodes.map(() => expect.objectContaining({ status: "True", reason: "Staged", message: expect.stringMatching(/^revision \S+: 1 image pulled, 0 volumes written$/) })),
    );

    const windows = measureWindows("staged", "registry.example/web:2");
    expect((await kubectl.run("annotate", "ds/staged", "rollout.edgeset.dev/paused-")).code).toBe(0);
    await rolloutStatus("staged");
    await waitFor("every node's new pod seen available", async () => (await podsOf("staged")).filter(isAvailable).length === nodes.length);
    const staged = await windows.stop();
    console.log(`unavailable windows with pre-staging (ms): ${staged.join(", ")} (baseline ${baseline.join(", ")})`);
    for (const engine of engines.values()) expect(pullsOf(engine, "registry.example/web:2")).toBe(1);
    expect(Math.max(...staged)).toBeLessThan(Math.min(...baseline));
    const status = await waitFor("the staged count back to 0 with every node updated", async () => {
      const ds = (await cp.api("GET", "/apis/apps/v1/namespaces/default/daemonsets/staged")).json();
      const line = ds.metadata.annotations["rollout.edgeset.dev/status"] as string;
      return line.startsWith("updated=3/3") && line;
    });
    expect(status).toMatch(/ staged=0$/);
  }, 180_000);
});
