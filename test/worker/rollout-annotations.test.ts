import { describe, expect, it } from "vitest";
import { daemonSet } from "../support/manifests.ts";
import { call, json, unique } from "./helpers.ts";

const base = "/apis/apps/v1/namespaces/default/daemonsets";

describe("rollout.edgeset.dev annotations on the API", () => {
  it("refuses a bad value on create with 422 naming the annotation", async () => {
    const name = unique("ro-create");
    const manifest = daemonSet({ name });
    const res = await call("POST", base, { ...manifest, metadata: { name, annotations: { "rollout.edgeset.dev/partition": "lots" } } });
    expect(res.status).toBe(422);
    const status = await json(res);
    expect(status.reason).toBe("Invalid");
    expect(status.details.causes.map((c: { field: string }) => c.field)).toEqual(["metadata.annotations[rollout.edgeset.dev/partition]"]);
  });

  it("accepts good values, and refuses a bad one on a merge patch (kubectl annotate)", async () => {
    const name = unique("ro-patch");
    const manifest = daemonSet({ name });
    const created = await call("POST", base, { ...manifest, metadata: { name, annotations: { "rollout.edgeset.dev/skip-offline": "true", "rollout.edgeset.dev/partition": "50%" } } });
    expect(created.status).toBe(201);
    const bad = await call("PATCH", `${base}/${name}`, { metadata: { annotations: { "rollout.edgeset.dev/failure-threshold": "often" } } }, { contentType: "application/merge-patch+json" });
    expect(bad.status).toBe(422);
    expect((await json(bad)).details.causes[0].field).toBe("metadata.annotations[rollout.edgeset.dev/failure-threshold]");
    const good = await call("PATCH", `${base}/${name}`, { metadata: { annotations: { "rollout.edgeset.dev/paused": "true" } } }, { contentType: "application/merge-patch+json" });
    expect(good.status).toBe(200);
    expect((await json(good)).metadata.annotations["rollout.edgeset.dev/paused"]).toBe("true");
  });

  it("refuses a prestage value other than true or false, and stores nothing", async () => {
    const name = unique("ro-prestage");
    expect((await call("POST", base, daemonSet({ name }))).status).toBe(201);
    const bad = await call("PATCH", `${base}/${name}`, { metadata: { annotations: { "rollout.edgeset.dev/prestage": "yes" } } }, { contentType: "application/merge-patch+json" });
    expect(bad.status).toBe(422);
    expect((await json(bad)).details.causes[0].field).toBe("metadata.annotations[rollout.edgeset.dev/prestage]");
    const stored = await json(await call("GET", `${base}/${name}`));
    expect(stored.metadata.annotations?.["rollout.edgeset.dev/prestage"]).toBeUndefined();
  });
});
