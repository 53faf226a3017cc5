import { describe, expect, it } from "vitest";
import type { DaemonSet } from "../types.ts";
import {
  defaultDaemonSet,
  fromInternalDaemonSet,
  prepareDaemonSetForCreate,
  prepareDaemonSetForUpdate,
  prepareDaemonSetStatusForUpdate,
  toInternalDaemonSet,
  validateDaemonSet,
  validateDaemonSetStatusUpdate,
  validateDaemonSetUpdate,
} from "./index.ts";

const generationKey = "deprecated.daemonset.template.generation";
const labels = { name: "simple-daemon", type: "production" };

/** A DaemonSet body as a user writes it, in `apiVersion`. */
function body(apiVersion: string, spec: Record<string, unknown> = {}): DaemonSet {
  return {
    apiVersion,
    kind: "DaemonSet",
    metadata: { name: "ds", namespace: "default" },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: "app", image: "nginx:1.27" }] } },
      ...spec,
    },
  } as DaemonSet;
}

/** What the API does on create: default, convert, prepare. */
const create = (obj: DaemonSet, apiVersion: string): DaemonSet =>
  prepareDaemonSetForCreate(toInternalDaemonSet(defaultDaemonSet(obj, apiVersion), apiVersion));

const fields = (errs: { field: string; message: string }[]) => errs.map((e) => `${e.field}: ${e.message}`);

describe("vector 40: defaults and generation bookkeeping", () => {
  it("apps/v1 without a strategy gets RollingUpdate 1/0, revisionHistoryLimit 10 and template generation 1", () => {
    const ds = create(body("apps/v1"), "apps/v1");
    expect(ds.spec.updateStrategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    expect(ds.spec.revisionHistoryLimit).toBe(10);
    expect(ds.metadata.annotations?.[generationKey]).toBe("1");
    expect(ds.metadata.generation).toBe(1);
    expect(validateDaemonSet(ds)).toEqual([]);
  });

  it.each([
    ["a template edit bumps the template generation and the generation", (d: DaemonSet) => { d.spec.template.spec.containers[0].image = "nginx:1.28"; }, "2", 2],
    ["a spec edit outside the template bumps only the generation", (d: DaemonSet) => { d.spec.minReadySeconds = 5; }, "1", 2],
    ["a label-only metadata edit bumps nothing", (d: DaemonSet) => { d.metadata.labels = { team: "edge" }; }, "1", 1],
  ])("%s", (_name, edit, templateGeneration, generation) => {
    const stored = create(body("apps/v1"), "apps/v1");
    const next = structuredClone(stored);
    edit(next);
    const updated = prepareDaemonSetForUpdate(next, stored);
    expect(updated.metadata.annotations?.[generationKey]).toBe(templateGeneration);
    expect(updated.metadata.generation).toBe(generation);
    expect(validateDaemonSetUpdate(updated, stored)).toEqual([]);
  });

  it("extensions/v1beta1 defaults to OnDelete and takes the selector and labels from the template", () => {
    const obj = body("extensions/v1beta1");
    delete (obj.spec as Partial<DaemonSet["spec"]>).selector;
    const ds = defaultDaemonSet(obj, "extensions/v1beta1");
    expect(ds.spec.updateStrategy).toEqual({ type: "OnDelete" });
    expect(ds.spec.selector).toEqual({ matchLabels: labels });
    expect(ds.metadata.labels).toEqual(labels);
  });

  it("apps versions default the template's pod spec", () => {
    const ds = defaultDaemonSet(body("apps/v1beta2"), "apps/v1beta2");
    expect(ds.spec.template.spec).toMatchObject({ restartPolicy: "Always", dnsPolicy: "ClusterFirst", terminationGracePeriodSeconds: 30 });
    expect(ds.spec.template.spec.containers[0]).toMatchObject({ imagePullPolicy: "IfNotPresent", terminationMessagePath: "/dev/termination-log" });
  });
});

describe("vector 41: validation", () => {
  const strategy = (rollingUpdate: Record<string, unknown>) => ({ updateStrategy: { type: "RollingUpdate", rollingUpdate } });
  it.each([
    ["maxUnavailable 0 and maxSurge 0", strategy({ maxUnavailable: 0, maxSurge: 0 }), "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"],
    ["maxUnavailable 1 and maxSurge 1", strategy({ maxUnavailable: 1, maxSurge: 1 }), "spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero"],
    ['maxUnavailable "101%"', strategy({ maxUnavailable: "101%", maxSurge: 0 }), 'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "101%": must not be greater than 100%'],
    ["maxUnavailable -1", strategy({ maxUnavailable: -1, maxSurge: 0 }), "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: -1: must be greater than or equal to 0"],
    ['maxUnavailable "10" (no %)', strategy({ maxUnavailable: "10", maxSurge: 0 }), "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: \"10\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"],
    ["an unknown strategy type", { updateStrategy: { type: "Recreate" } }, 'spec.updateStrategy: Unsupported value: {"type":"Recreate"}: supported values: "RollingUpdate", "OnDelete"'],
    ["negative minReadySeconds", { minReadySeconds: -1 }, "spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0"],
    ["negative revisionHistoryLimit", { revisionHistoryLimit: -1 }, "spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0"],
  ])("%s", (_name, spec, message) => {
    const ds = create(body("apps/v1", spec), "apps/v1");
    expect(fields(validateDaemonSet(ds))).toContain(message);
  });

  it("RollingUpdate without rollingUpdate (only possible without defaulting) is Required", () => {
    const ds = create(body("apps/v1"), "apps/v1");
    ds.spec.updateStrategy = { type: "RollingUpdate" };
    expect(fields(validateDaemonSet(ds))).toContain("spec.updateStrategy.rollingUpdate: Required value");
  });

  it("restartPolicy OnFailure is NotSupported", () => {
    const obj = body("apps/v1");
    obj.spec.template.spec.restartPolicy = "OnFailure";
    const errs = validateDaemonSet(create(obj, "apps/v1"));
    expect(errs).toContainEqual({ type: "FieldValueNotSupported", field: "spec.template.spec.restartPolicy", message: 'Unsupported value: "OnFailure": supported values: "Always"' });
  });

  it("a selector that does not match the template labels is Invalid", () => {
    const obj = body("apps/v1", { selector: { matchLabels: { app: "a" } } });
    obj.spec.template.metadata = { labels: { app: "b" } };
    const errs = validateDaemonSet(create(obj, "apps/v1"));
    expect(errs).toContainEqual({ type: "FieldValueInvalid", field: "spec.template.metadata.labels", message: 'Invalid value: {"app":"b"}: `selector` does not match template `labels`' });
  });

  it.each([
    ["an empty selector", { selector: {} }, "spec.selector: Invalid value: {}: empty selector is invalid for daemonset"],
    ["no selector", { selector: undefined }, "spec.selector: Required value"],
  ])("%s is rejected", (_name, spec, message) => {
    expect(fields(validateDaemonSet(create(body("apps/v1", spec), "apps/v1")))).toContain(message);
  });

  it("activeDeadlineSeconds is forbidden and the name must be a DNS-1123 subdomain", () => {
    const obj = body("apps/v1");
    obj.metadata.name = "Bad_Name";
    obj.spec.template.spec.activeDeadlineSeconds = 10;
    const got = fields(validateDaemonSet(create(obj, "apps/v1")));
    expect(got).toContain("spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported");
    expect(got.some((m) => m.startsWith('metadata.name: Invalid value: "Bad_Name"'))).toBe(true);
  });
});

describe("versions: extensions/v1beta1 created, read back in every version", () => {
  const obj = body("extensions/v1beta1");
  delete (obj.spec as Partial<DaemonSet["spec"]>).selector;
  const stored = create(obj, "extensions/v1beta1");

  it("stores the apps/v1 form with the generation annotation", () => {
    expect(stored.apiVersion).toBe("apps/v1");
    expect(stored.metadata.annotations).toEqual({ [generationKey]: "1" });
    expect(stored.spec).not.toHaveProperty("templateGeneration");
    expect(validateDaemonSet(stored)).toEqual([]);
  });

  it("reads back as apps/v1 and apps/v1beta2 with the annotation and the OnDelete strategy", () => {
    for (const v of ["apps/v1", "apps/v1beta2"]) {
      const served = fromInternalDaemonSet(stored, v);
      expect(served.apiVersion).toBe(v);
      expect(served.metadata.annotations?.[generationKey]).toBe("1");
      expect(served.spec.updateStrategy).toEqual({ type: "OnDelete" });
      expect(served.spec.selector).toEqual({ matchLabels: labels });
    }
  });

  it("reads back as extensions/v1beta1 with spec.templateGeneration and no annotation", () => {
    const served = fromInternalDaemonSet(stored, "extensions/v1beta1");
    expect(served.spec.templateGeneration).toBe(1);
    expect(served.metadata.annotations).toBeUndefined();
  });

  it.each(["apps/v1", "apps/v1beta2", "extensions/v1beta1", "apps/v1beta1"])("round-trips through %s without loss", (v) => {
    expect(toInternalDaemonSet(fromInternalDaemonSet(stored, v), v)).toEqual(stored);
  });

  it("keeps a templateGeneration given at creation", () => {
    const ds = create(body("extensions/v1beta1", { templateGeneration: 4 }), "extensions/v1beta1");
    expect(ds.metadata.annotations?.[generationKey]).toBe("4");
  });
});

describe("apps/v1beta1 input", () => {
  it("is accepted and behaves like extensions/v1beta1", () => {
    const obj = body("apps/v1beta1");
    delete (obj.spec as Partial<DaemonSet["spec"]>).selector;
    const ds = create(obj, "apps/v1beta1");
    expect(ds.apiVersion).toBe("apps/v1");
    expect(ds.spec.updateStrategy).toEqual({ type: "OnDelete" });
    expect(ds.spec.selector).toEqual({ matchLabels: labels });
    expect(validateDaemonSet(ds)).toEqual([]);
  });
});

describe("updates", () => {
  const stored = create(body("apps/v1"), "apps/v1");

  it("the selector is immutable through the apps versions, mutable through extensions/v1beta1", () => {
    const next = structuredClone(stored);
    next.spec.selector = { matchLabels: { name: "simple-daemon" } };
    const updated = prepareDaemonSetForUpdate(next, stored);
    expect(fields(validateDaemonSetUpdate(updated, stored, "apps/v1")).some((m) => m.startsWith("spec.selector: Invalid value") && m.endsWith("field is immutable"))).toBe(true);
    expect(validateDaemonSetUpdate(updated, stored, "extensions/v1beta1")).toEqual([]);
  });

  it("a spec update keeps the stored status; a status update keeps the stored spec", () => {
    const withStatus = { ...stored, status: { ...stored.status!, numberReady: 3 } };
    const next = { ...structuredClone(withStatus), status: { ...withStatus.status, numberReady: 0 } };
    expect(prepareDaemonSetForUpdate(next, withStatus).status?.numberReady).toBe(3);
    const statusUpdate = structuredClone(stored);
    statusUpdate.spec.minReadySeconds = 99;
    statusUpdate.status = { ...stored.status!, numberReady: 2 };
    const applied = prepareDaemonSetStatusForUpdate(statusUpdate, stored);
    expect(applied.spec).toEqual(stored.spec);
    expect(applied.status?.numberReady).toBe(2);
    expect(applied.metadata.generation).toBe(1);
  });

  it("create clears the status the user sent", () => {
    const obj = { ...body("apps/v1"), status: { currentNumberScheduled: 5, numberMisscheduled: 0, desiredNumberScheduled: 5, numberReady: 5 } };
    expect(create(obj, "apps/v1").status).toEqual({ currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 });
  });

  it.each([
    ["a negative count", { numberReady: -1 }, "status.numberReady: Invalid value: -1: must be greater than or equal to 0"],
    ["a decremented collisionCount", { collisionCount: 1 }, "status.collisionCount: Invalid value: 1: cannot be decremented"],
  ])("a status update with %s is rejected", (_name, status, message) => {
    const old = { ...stored, status: { ...stored.status!, collisionCount: 2 } };
    const next = { ...stored, status: { ...stored.status!, ...status } };
    expect(fields(validateDaemonSetStatusUpdate(next, old))).toContain(message);
  });
});
