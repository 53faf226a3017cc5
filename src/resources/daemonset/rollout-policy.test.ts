import { describe, expect, it } from "vitest";
import { parseRolloutPolicy } from "./rollout-policy.ts";

const a = (name: string, value: string) => ({ [`rollout.edgeset.dev/${name}`]: value });

describe("parseRolloutPolicy", () => {
  it("no rollout annotation: no policy (exactly Kubernetes)", () => {
    expect(parseRolloutPolicy(undefined)).toEqual({ errors: [] });
    expect(parseRolloutPolicy({ "kubernetes.io/change-cause": "x", "rollout.edgeset.dev/status": "offline=1" })).toEqual({ errors: [] });
  });

  it("reads every setting into a typed policy", () => {
    const { policy, errors } = parseRolloutPolicy({
      ...a("skip-offline", "true"),
      ...a("partition", "20%"),
      ...a("selector", "ring in (canary)"),
      ...a("paused", "false"),
      ...a("progress-deadline-seconds", "600"),
      ...a("failure-threshold", "25%"),
      ...a("auto-rollback", "true"),
      ...a("allow-defer", "true"),
      ...a("prestage", "true"),
    });
    expect(errors).toEqual([]);
    expect(policy).toMatchObject({ skipOffline: true, partition: "20%", paused: false, progressDeadlineSeconds: 600, failureThresholdPercent: 25, autoRollback: true, allowDefer: true, prestage: true });
    expect(policy!.selector!.matches({ ring: "canary" })).toBe(true);
    expect(policy!.selector!.matches({ ring: "main" })).toBe(false);
  });

  it.each([
    ["partition", "3", 3],
    ["partition", "0", 0],
    ["partition", "100%", "100%"],
    ["partition", "0%", "0%"],
  ])("partition %s=%s", (name, value, expected) => {
    expect(parseRolloutPolicy(a(name, value)).policy?.partition).toEqual(expected);
  });

  it.each([
    ["partition", "-1"],
    ["partition", "101%"],
    ["partition", "1.5"],
    ["partition", "three"],
    ["skip-offline", "yes"],
    ["paused", "True"],
    ["selector", "ring in (canary"],
    ["progress-deadline-seconds", "0"],
    ["progress-deadline-seconds", "10s"],
    ["failure-threshold", "25"],
    ["failure-threshold", "150%"],
    ["auto-rollback", "1"],
    ["allow-defer", ""],
    ["prestage", "on"],
  ])("refuses %s=%j naming the annotation", (name, value) => {
    const { policy, errors } = parseRolloutPolicy(a(name, value));
    expect(policy).toBeUndefined();
    expect(errors.map((e) => e.field)).toEqual([`metadata.annotations[rollout.edgeset.dev/${name}]`]);
  });

  it("refuses an unknown name under the prefix (a typo would otherwise do nothing)", () => {
    const { errors } = parseRolloutPolicy(a("pause", "true"));
    expect(errors).toMatchObject([{ type: "FieldValueNotSupported", field: "metadata.annotations[rollout.edgeset.dev/pause]" }]);
  });
});
