/**
 * The docker runtime end to end, with the real Worker and a real agent whose `docker` is the
 * stand-in CLI (test/e2e/engines.test.ts has the real engines): the node reports the runtime, a DaemonSet's pod
 * becomes an engine container with the kubelet's labels and runs, a pod asking for a runtime the
 * device lacks waits with a clear reason, and a SIGKILLed agent adopts its container instead of
 * running a second one.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type FakeEngine, installFakeEngine } from "../../agent/testing/fake-engine-setup.ts";
import type { PodSpec } from "../../src/resources/k8s-types.ts";
import { removeStateDir, startAgent, type AgentProcess } from "../support/agents.ts";
import { startControlPlane, type ControlPlane } from "../support/control-plane.ts";
import { startLink, type Link } from "../support/link.ts";
import { daemonSet } from "../support/manifests.ts";
import { waitFor } from "../support/wait.ts";

const root = mkdtempSync(join(tmpdir(), "edgeset-e2e-docker-"));
let cp: ControlPlane;
let agent: AgentProcess;
let docker: FakeEngine;
let link: Link;

/**
 * An agent that finds the stand-in first on its PATH and uses only it: `--runtimes` leaves podman
 * out, so what the host has installed (a real docker or podman) plays no part.
 */
function startDockerAgent(options: { stateDir?: string; bootstrapToken?: string } = {}): Promise<AgentProcess> {
  return startAgent(cp, {
    nodeName: "edge-docker",
    labels: { engine: "docker" },
    extraArgs: ["--runtime", "docker", "--runtimes", "process,docker"],
    env: { PATH: `${dirname(docker.command)}:${process.env.PATH}` },
    link,
    ...options,
  });
}

beforeAll(async () => {
  docker = installFakeEngine(root, "docker", { images: ["nginx:1.27"] });
  cp = await startControlPlane();
  link = await startLink(cp);
  agent = await startDockerAgent();
});

afterAll(async () => {
  await agent?.stop();
  if (agent) removeStateDir(agent);
  rmSync(root, { recursive: true, force: true });
  await link?.close();
  await cp?.stop();
});

const pods = async (app: string) => (await cp.api("GET", `/api/v1/namespaces/default/pods?labelSelector=app%3D${app}`)).json().items;
const runs = () => docker.calls().filter((c) => c[0] === "run");

async function createDaemonSet(name: string, spec: Partial<PodSpec> & Pick<PodSpec, "containers">): Promise<void> {
  const res = await cp.api("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet({ name, nodeSelector: { engine: "docker" }, pod: spec }));
  expect(res.status).toBe(201);
}

it("runs a DaemonSet's pod as a docker container, holds a pod for a missing runtime, and adopts after a SIGKILL", async () => {
  const nodeInfo = await waitFor("the node Ready on docker", async () => {
    const node = (await cp.api("GET", "/api/v1/nodes/edge-docker")).json();
    return node.status?.conditions?.some((c: any) => c.type === "Ready" && c.status === "True") && node.status.nodeInfo;
  });
  expect(nodeInfo.containerRuntimeVersion).toBe("docker://24.0.7-fake");

  await createDaemonSet("web", { containers: [{ name: "nginx", image: "nginx:1.27", ports: [{ containerPort: 80, hostPort: 8080 }], env: [{ name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }] }] });
  const [pod] = await waitFor("the pod Running", async () => {
    const found = await pods("web");
    return found[0]?.status?.phase === "Running" && found;
  });
  const [container] = docker.containers();
  expect(pod.status.containerStatuses[0].containerID).toBe(`docker://${container.Id}`);
  expect(container.Config.Labels).toMatchObject({ "io.kubernetes.pod.uid": pod.metadata.uid, "io.kubernetes.pod.name": pod.metadata.name, "io.kubernetes.container.name": "nginx" });
  expect(container.Config.Env).toEqual(["NODE=edge-docker"]);
  expect(container.HostConfig.PortBindings).toEqual(["8080:80"]);
  await waitFor("numberReady 1", async () => (await cp.api("GET", "/apis/apps/v1/namespaces/default/daemonsets/web")).json().status?.numberReady === 1);

  await createDaemonSet("rootless", { runtimeClassName: "podman", containers: [{ name: "main", image: "nginx:1.27" }] });
  const waiting = await waitFor("the pod waiting for its runtime", async () => (await pods("rootless"))[0]?.status?.containerStatuses?.[0]?.state?.waiting);
  expect(waiting).toEqual({ reason: "RuntimeNotAvailable", message: 'runtime "podman" is not available on this node (it has: process, docker)' });

  await agent.stop("SIGKILL");
  agent = await startDockerAgent({ stateDir: agent.stateDir, bootstrapToken: "" });
  await waitFor("the container adopted", () => agent.output().includes("adopted docker container(s) nginx"));
  // Two answered syncs after the adoption: the agent has converged on what the control plane says.
  await link.waitForSyncs("edge-docker", 2);
  expect(runs()).toHaveLength(1);
  expect(docker.containers().filter((c) => c.State.Running)).toHaveLength(1);
});
