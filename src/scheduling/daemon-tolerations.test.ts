import { describe, expect, it } from "vitest";
import type { Toleration } from "../resources/types.ts";
import { addDaemonPodTolerations, addOrUpdateToleration } from "./daemon-tolerations.ts";

const defaults: Toleration[] = [
  { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
  { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
  { key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/pid-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" },
];
const networkUnavailable: Toleration = { key: "node.kubernetes.io/network-unavailable", operator: "Exists", effect: "NoSchedule" };
const user: Toleration = { key: "dedicated", operator: "Equal", value: "user1", effect: "NoSchedule" };

describe("addDaemonPodTolerations", () => {
  it.each<[string, Toleration[] | undefined, boolean | undefined, Toleration[]]>([
    ["no tolerations: the six defaults", undefined, undefined, defaults],
    ["hostNetwork adds network-unavailable", undefined, true, [...defaults, networkUnavailable]],
    ["user tolerations come first", [user], false, [user, ...defaults]],
    [
      "#13 a user not-ready toleration loses its tolerationSeconds",
      [{ key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 }],
      false,
      defaults,
    ],
    [
      "an Equal toleration of the same key is a different toleration",
      [{ key: "node.kubernetes.io/not-ready", operator: "Equal", effect: "NoExecute", tolerationSeconds: 300 }],
      false,
      [{ key: "node.kubernetes.io/not-ready", operator: "Equal", effect: "NoExecute", tolerationSeconds: 300 }, ...defaults],
    ],
    ["defaults already present are not duplicated", defaults, false, defaults],
  ])("%s", (_name, tolerations, hostNetwork, expected) => {
    const spec = { containers: [], ...(tolerations ? { tolerations } : {}), ...(hostNetwork !== undefined ? { hostNetwork } : {}) };
    expect(addDaemonPodTolerations(spec).tolerations).toEqual(expected);
  });

  it("does not modify the template it is given", () => {
    const tolerations = [{ key: "node.kubernetes.io/not-ready", operator: "Exists" as const, effect: "NoExecute" as const, tolerationSeconds: 300 }];
    const spec = { containers: [], tolerations };
    addDaemonPodTolerations(spec);
    expect(spec.tolerations).toBe(tolerations);
    expect(tolerations[0].tolerationSeconds).toBe(300);
  });
});

describe("addOrUpdateToleration", () => {
  it("replaces every matching toleration in place", () => {
    const t: Toleration = { key: "k", operator: "Exists", effect: "NoExecute" };
    expect(addOrUpdateToleration([{ ...t, tolerationSeconds: 5 }, user], t)).toEqual([t, user]);
  });
});
