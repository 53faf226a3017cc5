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
import { daemonSet, defaultImage } from "../support/manifests.ts";
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

/** A DaemonSet file whose container `main` runs `script` (findable by its marker), on the nodes `nodeSelector` picks; `side` adds a second container. */
function daemonSetFile(name: string, script: string, nodeSelector?: Record<string, string>, side?: string): string {
  const containers = [
    { name: "main", image: defaultImage, command: ["sh", "-c", script, `${marker}/${name}/`] },
    ...(side ? [{ name: "side", image: defaultImage, command: ["sh", "-c", side, `${marker}/${name}/side/`] }] : []),
  ];
  return k.file(`${name}.yaml`, JSON.stringify(daemonSet({ name, nodeSelector, containers, metadata: { labels: { app: name } } })));
}

async function rolledOut(name: string, script: string, nodeSelector?: Record<string, string>, side?: string): Promise<string[]> {
  ok(await kubectl("apply", "-f", daemonSetFile(name, script, nodeSelector, side)));
  ok(await kubectl("rollout", "status", `ds/${name}`, "--timeout=90s"));
  return ok(await kubectl("get", "pods", "-l", `app=${name}`, "-o", "jsonpath={.items[*].metadata.name}")).split(" ").filter(Boolean);
}

/** Counts up once a second: `tick-1`, `tick-2`, ... */
const ticker = 'i=0; while true; do i=$((i+1)); echo "tick-$i"; sleep 1; done';

beforeAll(async () => {
  cp = await startControlPlane();
  k = createKubectl(cp);
  agents.push(...(await Promise.all(["a", "b", "c"].map((site, i) => startAgent(cp, { nodeName: `kl-${i + 1}`, labels: { site }, extraArgs: ["--runtimes", "process"] })))));
  await waitFor("three nodes Ready", async () => (await k.run("get", "nodes", "--no-headers")).stdout.match(/\sReady\s/g)?.length === 3, 60_000).catch((error: unknown) => {
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

// Concurrent: each test has its own DaemonSet, and the file stays within a minute on a busy machine.
describe.concurrent("kubectl logs through the session bridge", () => {
  it("prints a container's output with -c, --tail, --timestamps, --limit-bytes, --since, --since-time, and for ds/NAME", async () => {
    // Two seconds between the first line and the others: --since-time (whole seconds on the wire) can split them.
    const [pod] = await rolledOut("hello", 'echo "hello from $E2E_NODE"; sleep 2; echo second; echo third; while true; do sleep 1; done', { site: "a" }, "echo from-side; while true; do sleep 1; done");
    const text = await waitFor("the three lines", async () => {
      const out = ok(await kubectl("logs", pod!, "-c", "main"));
      return out.includes("third") ? out : undefined;
    });
    expect(text).toBe("hello from kl-1\nsecond\nthird\n");
    const logs = (...args: string[]) => kubectl("logs", ...args).then(ok);
    const [side, tail, limited, since, stampedText, ds] = await Promise.all([
      logs(pod!, "-c", "side"),
      logs(pod!, "-c", "main", "--tail=1"),
      logs(pod!, "-c", "main", "--limit-bytes=5"),
      logs(pod!, "-c", "main", "--since=1h"),
      logs(pod!, "-c", "main", "--timestamps"),
      logs("ds/hello", "-c", "main", "--tail=2"),
    ]);
    expect({ side, tail, limited, since, ds }).toEqual({ side: "from-side\n", tail: "third\n", limited: "hello", since: text, ds: "second\nthird\n" });
    const stamped = stampedText.trimEnd().split("\n");
    expect(stamped).toEqual([expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z hello from kl-1$/), expect.stringMatching(/ second$/), expect.stringMatching(/ third$/)]);
    expect(await logs(pod!, "-c", "main", `--since-time=${stamped[1]!.split(" ")[0]}`)).toBe("second\nthird\n");
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

  it("-l app=x --prefix prints every device's pod (three devices), each line prefixed", async () => {
    const pods = await rolledOut("everywhere", 'echo "on $E2E_NODE"; while true; do sleep 1; done');
    expect(pods).toHaveLength(3);
    await waitFor("three workloads", () => findWorkloads(`${marker}/everywhere/`).length === 3);
    const out = await waitFor("three lines", async () => {
      const text = ok(await kubectl("logs", "-l", "app=everywhere", "--prefix", "--max-log-requests=3"));
      return text.split("\n").filter(Boolean).length === 3 ? text : undefined;
    });
    const lines = out.trimEnd().split("\n").sort((a, b) => a.slice(-4).localeCompare(b.slice(-4)));
    expect(lines).toEqual([1, 2, 3].map((n) => expect.stringMatching(new RegExp(`^\\[pod/everywhere-[a-z0-9]+/main\\] on kl-${n}$`))));
  });

  it("a pod that does not exist and a bad option are refused by the API, naming them", async () => {
    const missing = await kubectl("logs", "nope");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/pods "nope" not found/);
    ok(await kubectl("apply", "-f", daemonSetFile("refusals", "while true; do sleep 1; done", { site: "c" })));
    const pod = await waitFor("the refusals pod", async () => ok(await kubectl("get", "pods", "-l", "app=refusals", "-o", "jsonpath={.items[*].metadata.name}")));
    const noContainer = await kubectl("logs", pod!, "-c", "nope");
    expect(noContainer.code).toBe(1);
    expect(noContainer.stderr).toMatch(/container nope is not valid for pod refusals-/);
    const res = await cp.api("GET", `/api/v1/namespaces/${ns}/pods/${pod}/log?container=main&tailLines=-1`);
    expect(res.status).toBe(400);
    expect(res.json().details.causes[0].field).toBe("tailLines");
  });
});
