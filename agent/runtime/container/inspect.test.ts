import { describe, expect, it } from "vitest";
import { parseEngineTime, parseInspect, terminationOf } from "./inspect.ts";

describe("parseEngineTime", () => {
  it.each([
    ["2024-05-01T10:00:00Z", Date.UTC(2024, 4, 1, 10)],
    ["2024-05-01T10:00:00.123456789Z", Date.UTC(2024, 4, 1, 10, 0, 0, 123)],
    ["2024-05-01T12:00:00.5+02:00", Date.UTC(2024, 4, 1, 10, 0, 0, 500)],
    ["0001-01-01T00:00:00Z", undefined],
    ["", undefined],
    [undefined, undefined],
  ])("%j", (text, want) => {
    expect(parseEngineTime(text)).toBe(want);
  });
});

describe("parseInspect", () => {
  const docker = JSON.stringify([
    {
      Id: "abc",
      Name: "/k8s_main_web_default_u1_0",
      Created: "2024-05-01T09:59:59.9Z",
      Image: "sha256:img",
      Config: { Image: "nginx:1.27", Labels: { "io.kubernetes.pod.uid": "u1" } },
      State: { Status: "exited", Running: false, Pid: 0, ExitCode: 137, Error: "", StartedAt: "2024-05-01T10:00:00Z", FinishedAt: "2024-05-01T10:05:00Z", OOMKilled: true },
      NetworkSettings: { IPAddress: "", Networks: { bridge: { IPAddress: "172.17.0.5" } } },
    },
  ]);

  it("reads what the agent reports", () => {
    expect(parseInspect(docker)).toEqual([
      {
        id: "abc",
        name: "k8s_main_web_default_u1_0",
        labels: { "io.kubernetes.pod.uid": "u1" },
        status: "exited",
        running: false,
        pid: 0,
        exitCode: 137,
        oomKilled: true,
        error: "",
        startedAt: Date.UTC(2024, 4, 1, 10),
        finishedAt: Date.UTC(2024, 4, 1, 10, 5),
        createdAt: Date.UTC(2024, 4, 1, 9, 59, 59, 900),
        image: "nginx:1.27",
        imageID: "sha256:img",
        ipAddress: "172.17.0.5",
      },
    ]);
  });

  it("gives podman's bare image id the sha256: prefix docker prints", () => {
    const hex = "987d3928a863b98fcac0f47dc30bf46015f634ae91c390dd7fa4b1ee29da1915";
    const podman = JSON.stringify([{ Id: "def", Name: "k8s_main_web_default_u1_0", Image: hex, ImageName: "localhost/busybox:1", Config: { Labels: {} }, State: { Running: true } }]);
    expect(parseInspect(podman)[0]).toMatchObject({ imageID: `sha256:${hex}`, image: "localhost/busybox:1", status: "running" });
  });

  it.each([
    { exitCode: 0, oomKilled: false, reason: "Completed" },
    { exitCode: 2, oomKilled: false, reason: "Error" },
    { exitCode: 137, oomKilled: true, reason: "OOMKilled" },
  ])("an exit $exitCode (oom $oomKilled) is $reason", ({ exitCode, oomKilled, reason }) => {
    const [c] = parseInspect(docker);
    expect(terminationOf({ ...c, exitCode, oomKilled }, "docker", 0)).toEqual({
      exitCode,
      reason,
      startedAt: Date.UTC(2024, 4, 1, 10),
      finishedAt: Date.UTC(2024, 4, 1, 10, 5),
      containerID: "docker://abc",
    });
  });
});
