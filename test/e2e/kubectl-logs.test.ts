/**
 * The real `kubectl logs` against the real Worker and two real agents (process runtime): the
 * control plane never connects to a device; the device learns of the session at its next sync and
 * serves it over its own outbound WebSocket to the node's session bridge. Every assertion is on
 * kubectl's own stdout, stderr and exit code.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { findWorkloads, killWorkloads, removeStateDir, startAgent, type AgentProcess } from "../support/agents.ts";
import { startControlPlane, type ControlPlane } from "../support/control-plane.ts";
import { createKubectl, type Kubectl, type KubectlResult } from "../support/kubectl.ts";
import { waitFor } from "../support/wait.ts";

const marker = `e2e-kubectl-logs-${process.pid}`;
const ns = "kl";
let cp: ControlPlane;
let k: Kubectl;
const agents: AgentProcess[] = [];

function ok(result: KubectlResult): string {
  expect(result.stderr, result.stdout).toBe("");
  expect(result.code).toBe(0);
  return result.stdout;
}

const kubectl = (...args: string[]) => k.run("-n", ns, ...args);

/** A DaemonSet whose one container runs `script` (findable by its marker), on the nodes `nodeSelector` picks. */
function daemonSet(name: string, script: string, nodeSelector?: Record<string, string>): string {
  return k.file(
    `${name}.yaml`,
    JSON.stringify({
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name, labels: { app: name } },
      spec: {
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: {
            ...(nodeSelector ? { nodeSelector } : {}),
            containers: [{ name: "main", image: "busybox:1.36", command: ["sh", "-c", script, `${marker}/${name}/`] }],
          },
        },
      },
    }),
  );
}

async function rolledOut(name: string, script: string, nodeSelector?: Record<string, string>): Promise<string[]> {
  ok(await kubectl("apply", "-f", daemonSet(name, script, nodeSelector)));
  ok(await kubectl("rollout", "status", `ds/${name}`, "--timeout=90s"));
  return ok(await kubectl("get", "pods", "-l", `app=${name}`, "-o", "jsonpath={.items[*].metadata.name}")).split(" ").filter(Boolean);
}

/** Counts up once a second: `tick-1`, `tick-2`, ... */
const ticker = 'i=0; while true; do i=$((i+1)); echo "tick-$i"; sleep 1; done';

beforeAll(async () => {
  cp = await startControlPlane();
  k = createKubectl(cp);
  agents.push(...(await Promise.all([startAgent(cp, { nodeName: "kl-1", labels: { site: "a" } }), startAgent(cp, { nodeName: "kl-2", labels: { site: "b" } })])));
  await waitFor("both nodes Ready", async () => (await k.run("get", "nodes", "--no-headers")).stdout.match(/\sReady\s/g)?.length === 2, 60_000).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}\n${agents.map((a) => a.output().slice(-2000)).join("\n----\n")}`);
  });
  ok(await k.run("create", "namespace", ns));
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail" && cp) console.log(`DEBUG agents:\n${agents.map((a) => a.output().slice(-2000)).join("\n----\n")}`);
});

afterAll(async () => {
  await Promise.all(agents.map((agent) => agent.stop()));
  killWorkloads(marker);
  agents.forEach(removeStateDir);
  k?.cleanup();
  await cp?.stop();
});

describe("kubectl logs through the session bridge", () => {
  it("prints the workload's output, and --tail=1 only its last line", async () => {
    const [pod] = await rolledOut("hello", 'echo "hello from $E2E_NODE"; echo second; echo third; while true; do sleep 1; done', { site: "a" });
    const text = await waitFor("the three lines", async () => {
      const out = ok(await kubectl("logs", pod!));
      return out.includes("third") ? out : undefined;
    });
    expect(text).toBe("hello from kl-1\nsecond\nthird\n");
    expect(ok(await kubectl("logs", pod!, "--tail=1"))).toBe("third\n");
    expect(ok(await kubectl("logs", `ds/hello`, "--tail=2"))).toBe("second\nthird\n");
  });

  it("-f receives a line written after it started, until it is stopped", async () => {
    const [pod] = await rolledOut("follow", ticker, { site: "a" });
    const before = await waitFor("a first tick", async () => {
      const out = ok(await kubectl("logs", pod!));
      const ticks = out.match(/tick-(\d+)/g);
      return ticks ? Number(ticks[ticks.length - 1]!.slice(5)) : undefined;
    });
    const follow = k.start("-n", ns, "logs", "-f", pod!);
    try {
      // A tick at least two past the last one seen before kubectl started was written after it.
      const later = `tick-${before + 2}\n`;
      await waitFor(`${later.trim()} through -f`, () => follow.stdout().includes(later), 60_000).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}; kubectl printed ${JSON.stringify(follow.stdout().slice(-500))}, stderr ${JSON.stringify(follow.stderr().slice(-500))}`);
      });
      expect(follow.stdout()).toMatch(/^tick-1\n/);
    } finally {
      follow.stop();
    }
    const ended = await follow.done;
    expect(ended.stdout).toContain(`tick-${before + 2}\n`);
  });

  // `$$$$`: Kubernetes expands `$(VAR)` in commands, and `$$` is its escape for one `$`.
  it("--previous prints the instance before a restart", async () => {
    const [pod] = await rolledOut("restarts", 'echo "instance $$$$"; while true; do sleep 1; done', { site: "b" });
    let seen = "";
    const first = await waitFor("the first instance's line", async () => /^instance \d+\n$/.exec((seen = ok(await kubectl("logs", pod!))))?.[0]).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}; kubectl logs printed ${JSON.stringify(seen.slice(-500))}`);
    });
    killWorkloads(`${marker}/restarts/`);
    await waitFor("the restart counted", async () => ok(await kubectl("get", "pod", pod!, "-o", "jsonpath={.status.containerStatuses[0].restartCount}")) === "1", 60_000);
    const second = await waitFor("the second instance's line", async () => {
      const out = ok(await kubectl("logs", pod!));
      return /^instance \d+\n$/.test(out) && out !== first ? out : undefined;
    });
    expect(second).not.toBe(first);
    expect(ok(await kubectl("logs", pod!, "--previous"))).toBe(first);
  });

  it("-l app=x --prefix prints every device's pod, each line prefixed", async () => {
    const pods = await rolledOut("everywhere", 'echo "on $E2E_NODE"; while true; do sleep 1; done');
    expect(pods).toHaveLength(2);
    await waitFor("both workloads", () => findWorkloads(`${marker}/everywhere/`).length === 2);
    const out = await waitFor("both lines", async () => {
      const text = ok(await kubectl("logs", "-l", "app=everywhere", "--prefix"));
      return text.split("\n").filter(Boolean).length === 2 ? text : undefined;
    });
    const lines = out.trimEnd().split("\n").sort((a, b) => a.slice(-4).localeCompare(b.slice(-4)));
    expect(lines).toEqual([expect.stringMatching(/^\[pod\/everywhere-[a-z0-9]+\/main\] on kl-1$/), expect.stringMatching(/^\[pod\/everywhere-[a-z0-9]+\/main\] on kl-2$/)]);
  });

  it("a pod that does not exist and a bad option are refused by the API, naming them", async () => {
    const missing = await kubectl("logs", "nope");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/pods "nope" not found/);
    const [pod] = ok(await kubectl("get", "pods", "-l", "app=hello", "-o", "jsonpath={.items[*].metadata.name}")).split(" ");
    const res = await cp.api("GET", `/api/v1/namespaces/${ns}/pods/${pod}/log?tailLines=-1`);
    expect(res.status).toBe(400);
    expect(res.json().details.causes[0].field).toBe("tailLines");
  });
});
