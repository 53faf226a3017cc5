import { describe, expect, it } from "vitest";
import type { Container, Pod } from "../../../src/resources/types.ts";
import { buildRunArgs, containerName, milliCpuToShares, splitEnv } from "./run-args.ts";

function podWith(container: Partial<Container>, spec: Partial<Pod["spec"]> = {}): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "exporter-x1", namespace: "monitoring", uid: "u-1" },
    spec: { containers: [{ name: "main", image: "prom/node-exporter:v1.8.0", ...container }], terminationGracePeriodSeconds: 20, ...spec },
  };
}

function argsOf(container: Partial<Container>, spec: Partial<Pod["spec"]> = {}, env: Record<string, string> = {}) {
  const pod = podWith(container, spec);
  return buildRunArgs({ pod, container: pod.spec.containers[0], attempt: 2, agentId: "agent-1", env, mounts: [], envFile: "/run/x/env" });
}

/** The values of one flag, in order. */
const flag = (args: string[], name: string) => args.flatMap((a, i) => (a === name ? [args[i + 1]] : []));
/** What follows the image: the command line inside the container. */
const tail = (args: string[], image: string) => args.slice(args.lastIndexOf(image));

describe("buildRunArgs", () => {
  it("names and labels the container so a restarted agent finds it", () => {
    const args = argsOf({});
    expect(args.slice(0, 6)).toEqual(["run", "--detach", "--name", "k8s_main_exporter-x1_monitoring_u-1_2", "--restart", "no"]);
    expect(flag(args, "--label")).toEqual([
      "io.edgeset.agent=agent-1",
      "io.kubernetes.pod.uid=u-1",
      "io.kubernetes.pod.name=exporter-x1",
      "io.kubernetes.pod.namespace=monitoring",
      "io.kubernetes.container.name=main",
      "io.kubernetes.container.restartCount=2",
      expect.stringMatching(/^io\.kubernetes\.container\.hash=[0-9a-f]{16}$/),
      "io.kubernetes.pod.terminationGracePeriod=20",
    ]);
  });

  it.each<{ name: string; container: Partial<Container>; env?: Record<string, string>; want: string[] }>([
    { name: "image defaults", container: {}, want: ["prom/node-exporter:v1.8.0"] },
    { name: "args replace CMD", container: { args: ["--path.rootfs=/host", "--port=$(PORT)"] }, env: { PORT: "9100" }, want: ["prom/node-exporter:v1.8.0", "--path.rootfs=/host", "--port=9100"] },
    { name: "command replaces ENTRYPOINT", container: { command: ["/bin/sh", "-c"], args: ["exec app"] }, want: ["prom/node-exporter:v1.8.0", "-c", "exec app"] },
  ])("maps $name", ({ container, env, want }) => {
    const args = argsOf(container, {}, env);
    expect(tail(args, "prom/node-exporter:v1.8.0")).toEqual(want);
    if (container.command) expect(flag(args, "--entrypoint")).toEqual([container.command[0]]);
    else expect(flag(args, "--entrypoint")).toEqual([]);
  });

  it("ends the flags with -- before the image, so nothing from the spec after it is read as a flag", () => {
    const args = argsOf({ command: ["--privileged"], args: ["-v", "/:/host"] });
    expect(args.slice(args.indexOf("--"))).toEqual(["--", "prom/node-exporter:v1.8.0", "-v", "/:/host"]);
    expect(flag(args, "--entrypoint")).toEqual(["--privileged"]);
  });

  it.each<{ name: string; container?: Partial<Container>; spec?: Partial<Pod["spec"]>; flagName: string; want: string[] }>([
    { name: "host network", spec: { hostNetwork: true }, flagName: "--network", want: ["host"] },
    { name: "host PID", spec: { hostPID: true }, flagName: "--pid", want: ["host"] },
    { name: "a CPU limit", container: { resources: { limits: { cpu: "250m" } } }, flagName: "--cpus", want: ["0.25"] },
    { name: "a memory limit", container: { resources: { limits: { memory: "64Mi" } } }, flagName: "--memory", want: ["67108864"] },
    { name: "CPU shares from the request", container: { resources: { requests: { cpu: "100m" } } }, flagName: "--cpu-shares", want: ["102"] },
    { name: "host ports", container: { ports: [{ containerPort: 9100, hostPort: 9100 }, { containerPort: 53, hostPort: 5353, protocol: "UDP", hostIP: "127.0.0.1" }, { containerPort: 80 }] }, flagName: "--publish", want: ["9100:9100", "127.0.0.1:5353:53/udp"] },
    { name: "no published ports with host network", spec: { hostNetwork: true }, container: { ports: [{ containerPort: 9100, hostPort: 9100 }] }, flagName: "--publish", want: [] },
    { name: "the user", container: { securityContext: { runAsUser: 65534, runAsGroup: 65534 } }, flagName: "--user", want: ["65534:65534"] },
    { name: "workingDir", container: { workingDir: "/srv" }, flagName: "--workdir", want: ["/srv"] },
  ])("maps $name", ({ container = {}, spec = {}, flagName, want }) => {
    expect(flag(argsOf(container, spec), flagName)).toEqual(want);
  });

  it.each([
    { name: "privileged", container: { securityContext: { privileged: true } }, flagName: "--privileged" },
    { name: "a read-only root", container: { securityContext: { readOnlyRootFilesystem: true } }, flagName: "--read-only" },
  ])("maps $name", ({ container, flagName }) => {
    expect(argsOf(container)).toContain(flagName);
    expect(argsOf({})).not.toContain(flagName);
  });

  it("binds mounts at mountPath, read-only when asked", () => {
    const pod = podWith({});
    const args = buildRunArgs({
      pod,
      container: pod.spec.containers[0],
      attempt: 0,
      agentId: "a",
      env: {},
      mounts: [
        { hostPath: "/proc", containerPath: "/host/proc", readOnly: true },
        { hostPath: "/var/lib/edgeset/volumes/p/data", containerPath: "/data", readOnly: false },
      ],
    });
    expect(flag(args, "--volume")).toEqual(["/proc:/host/proc:ro", "/var/lib/edgeset/volumes/p/data:/data"]);
  });

  it("keeps values off the command line: an env file, and the CLI's own environment for multi-line values", () => {
    const env = { A: "1", PEM: "-----BEGIN-----\nxyz\n-----END-----", PATH: "/bin\n/usr/bin" };
    const args = argsOf({}, {}, env);
    expect(flag(args, "--env-file")).toEqual(["/run/x/env"]);
    expect(flag(args, "--env")).toEqual(["PEM", "PATH=/bin\n/usr/bin"]);
    expect(splitEnv(env)).toEqual({ file: "A=1\n", fromCliEnv: { PEM: env.PEM }, onArgv: ["PATH=/bin\n/usr/bin"] });
  });
});

describe("helpers", () => {
  it.each([
    [0n, 2],
    [1n, 2],
    [100n, 102],
    [1000n, 1024],
  ])("milliCpuToShares(%s) = %d", (milli, shares) => {
    expect(milliCpuToShares(milli)).toBe(shares);
  });

  it("makes a valid container name out of any pod name", () => {
    expect(containerName({ apiVersion: "v1", kind: "Pod", metadata: { name: "a.b", uid: "x:y" }, spec: { containers: [] } }, "c", 0)).toBe("k8s_c_a.b_default_x-y_0");
  });
});
