import { describe, expect, it } from "vitest";
import { daemonSet } from "../support/manifests.ts";
import { call, json, unique } from "./helpers.ts";

describe("DaemonSet REST", () => {
  it("creates with defaults, generation 1 and the template generation annotation", async () => {
    const name = unique("web");
    const res = await call("POST", "/apis/apps/v1/namespaces/default/daemonsets", daemonSet({ name }));
    expect(res.status).toBe(201);
    const ds = await json(res);
    expect(ds.metadata.generation).toBe(1);
    expect(ds.metadata.uid).toMatch(/[0-9a-f-]{36}/);
    expect(ds.metadata.annotations["deprecated.daemonset.template.generation"]).toBe("1");
    expect(ds.spec.updateStrategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    expect(ds.spec.revisionHistoryLimit).toBe(10);
    const got = await json(await call("GET", `/apis/apps/v1/namespaces/default/daemonsets/${name}`));
    expect(got.metadata.resourceVersion).toBe(ds.metadata.resourceVersion);
  });
});
