import { describe, expect, it } from "vitest";
import type { Pod } from "../../../resources/types.ts";
import { withPodIPs } from "./pod-ips.ts";

const pod = (status: object | undefined): Pod => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [] }, status } as Pod);

describe("withPodIPs", () => {
  it.each<[string, object | undefined, object | undefined]>([
    ["no status", undefined, undefined],
    ["no addresses yet", { phase: "Pending" }, { phase: "Pending" }],
    ["podIP and hostIP only", { podIP: "10.0.0.7", hostIP: "192.0.2.2" }, { podIP: "10.0.0.7", hostIP: "192.0.2.2", podIPs: [{ ip: "10.0.0.7" }], hostIPs: [{ ip: "192.0.2.2" }] }],
    ["plurals that agree are kept", { podIP: "10.0.0.7", podIPs: [{ ip: "10.0.0.7" }, { ip: "fd00::7" }] }, { podIP: "10.0.0.7", podIPs: [{ ip: "10.0.0.7" }, { ip: "fd00::7" }] }],
    ["the singular wins when they disagree", { podIP: "10.0.0.8", podIPs: [{ ip: "10.0.0.7" }] }, { podIP: "10.0.0.8", podIPs: [{ ip: "10.0.0.8" }] }],
  ])("%s", (_name, status, want) => {
    expect(withPodIPs(pod(status)).status).toEqual(want);
  });
});
