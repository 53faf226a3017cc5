/**
 * List and watch options as the apiserver checks them: resourceVersion, resourceVersionMatch,
 * sendInitialEvents and timeoutSeconds. Bad ones are a 4xx Status naming the field.
 */
import { describe, expect, it } from "vitest";
import { call, json, unique } from "./helpers.ts";

const pods = "/api/v1/namespaces/default/pods";
const configMaps = "/api/v1/namespaces/default/configmaps";
const configMap = ({ name }: { name: string }) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data: { a: "1" } });

describe("resourceVersionMatch on a list (ValidateListOptions)", () => {
  it.each([
    ["resourceVersionMatch=NotOlderThan", "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided"],
    ["resourceVersion=0&resourceVersionMatch=Exact", 'resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"'],
    ["resourceVersion=5&resourceVersionMatch=Newest", 'resourceVersionMatch: Unsupported value: "Newest": supported values: "Exact", "NotOlderThan", ""'],
    ["resourceVersion=5&resourceVersionMatch=Exact&continue=abc", "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided"],
    ["sendInitialEvents=true", "sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list"],
  ])("?%s is 422 ListOptions naming the field", async (query, message) => {
    const res = await call("GET", `${pods}?${query}`);
    expect(res.status).toBe(422);
    const status = await json(res);
    expect(status).toMatchObject({ kind: "Status", reason: "Invalid", code: 422, message: `ListOptions.meta.k8s.io "" is invalid: ${message}`, details: { group: "meta.k8s.io", kind: "ListOptions" } });
    expect(status.details.causes[0].field).toBe(message.slice(0, message.indexOf(":")));
  });

  it("serves Exact at the list's own version, and 410 at an older or newer one", async () => {
    await call("POST", configMaps, configMap({ name: unique("exact") }));
    const { metadata } = await json(await call("GET", configMaps));
    const exact = await call("GET", `${configMaps}?resourceVersion=${metadata.resourceVersion}&resourceVersionMatch=Exact`);
    expect(exact.status).toBe(200);
    expect((await json(exact)).metadata.resourceVersion).toBe(metadata.resourceVersion);
    const older = await call("GET", `${configMaps}?resourceVersion=1&resourceVersionMatch=Exact`);
    expect(older.status).toBe(410);
    expect(await json(older)).toMatchObject({ reason: "Expired", message: "The resourceVersion for the provided list is too old." });
    const newer = await call("GET", `${configMaps}?resourceVersion=${Number(metadata.resourceVersion) + 1000}&resourceVersionMatch=Exact`);
    expect(newer.status).toBe(410);
    expect((await json(newer)).message).toMatch(/^Too large resource version: \d+, current: \d+$/);
  });

  it("serves NotOlderThan and a bare version with the newest state", async () => {
    for (const query of ["resourceVersion=1&resourceVersionMatch=NotOlderThan", "resourceVersion=0&resourceVersionMatch=NotOlderThan", "resourceVersion=1", "resourceVersion=18446744073709551615"]) {
      const res = await call("GET", `${configMaps}?${query}`);
      expect(res.status, query).toBe(200);
    }
  });
});

describe("resourceVersion values (the store's ParseResourceVersion)", () => {
  it.each(["abc", "-1", "1e3", "18446744073709551616", "%20", "9".repeat(5000)])("%j is 400 on list, get and watch, with the apiserver's words", async (rv) => {
    const encoded = encodeURIComponent(rv);
    for (const path of [`${pods}?resourceVersion=${encoded}`, `${pods}/anything?resourceVersion=${encoded}`, `${pods}?watch=true&resourceVersion=${encoded}`]) {
      const res = await call("GET", path);
      expect(res.status, path).toBe(400);
      const status = await json(res);
      expect(status.reason).toBe("BadRequest");
      expect(status.message).toMatch(/^invalid resource version: resourceVersion: Invalid value: /);
      expect(status.message.length).toBeLessThan(300);
    }
  });

  it("a version with continue is 400, as the store answers it", async () => {
    const res = await call("GET", `${configMaps}?limit=1`);
    const page = await json(res);
    if (!page.metadata.continue) await call("POST", configMaps, configMap({ name: unique("paged") }));
    const token = page.metadata.continue ?? (await json(await call("GET", `${configMaps}?limit=1`))).metadata.continue;
    const bad = await call("GET", `${configMaps}?limit=1&continue=${encodeURIComponent(token)}&resourceVersion=5`);
    expect(bad.status).toBe(400);
    expect((await json(bad)).message).toBe("specifying resource version is not allowed when using continue");
    expect((await call("GET", `${configMaps}?limit=1&continue=${encodeURIComponent(token)}&resourceVersion=0`)).status).toBe(200);
  });
});

describe("the derived Lease list checks the same options", () => {
  const leases = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases";
  it.each([
    ["limit=1e20", 400],
    ["resourceVersion=abc", 400],
    ["resourceVersionMatch=NotOlderThan", 422],
    ["resourceVersion=1&resourceVersionMatch=Exact", 410],
    ["resourceVersion=1&resourceVersionMatch=NotOlderThan", 200],
  ])("?%s is %d", async (query, status) => {
    expect((await call("GET", `${leases}?${query}`)).status).toBe(status);
  });

  it("a get with a version that is no number is 400", async () => {
    expect((await call("GET", `${leases}/anything?resourceVersion=x`)).status).toBe(400);
  });
});

describe("watch options", () => {
  it.each([
    ["resourceVersionMatch=NotOlderThan", ["resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"]],
    ["sendInitialEvents=true&resourceVersionMatch=NotOlderThan", ["sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled"]],
    [
      "resourceVersionMatch=Exact",
      ["resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided", 'resourceVersionMatch: Unsupported value: "Exact": supported values: "NotOlderThan"'],
    ],
  ])("?watch=true&%s is 422 ListOptions", async (query, messages) => {
    const res = await call("GET", `${pods}?watch=true&${query}`);
    expect(res.status).toBe(422);
    const status = await json(res);
    expect(status.reason).toBe("Invalid");
    expect(status.details.causes.map((c: any) => `${c.field}: ${c.message}`)).toEqual(messages);
  });

  it.each(["True", "", "yes"])("watch=%s is a watch, as the apiserver reads a bool", async (value) => {
    const res = await call("GET", `${configMaps}?watch=${value}&timeoutSeconds=-1&resourceVersion=18446744073709551615`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-encoding")).toBe("identity");
    expect(await res.text()).toBe("");
  });

  it("watch=false and watch=0 are lists", async () => {
    for (const value of ["false", "FALSE", "0"]) expect((await json(await call("GET", `${configMaps}?watch=${value}`))).kind).toBe("ConfigMapList");
  });

  it("a negative timeoutSeconds is a deadline already past: the stream ends after the current state", async () => {
    const name = unique("brief");
    await call("POST", configMaps, configMap({ name }));
    const res = await call("GET", `${configMaps}?watch=true&timeoutSeconds=-1&fieldSelector=metadata.name%3D${name}`);
    expect(res.status).toBe(200);
    // The whole body arrives: the watch closed itself instead of running the 10-minute default.
    const lines = (await res.text()).split("\n").filter(Boolean).map((l) => JSON.parse(l));
    expect(lines).toEqual([expect.objectContaining({ type: "ADDED", object: expect.objectContaining({ metadata: expect.objectContaining({ name }) }) })]);
  });

  it.each(["abc", "1e20", "1.5", "9007199254740993"])("timeoutSeconds=%s is 400 naming timeoutSeconds", async (value) => {
    const res = await call("GET", `${pods}?watch=true&timeoutSeconds=${value}`);
    expect(res.status).toBe(400);
    expect((await json(res)).details.causes[0].field).toBe("timeoutSeconds");
  });

  it("a watch from a version not yet handed out starts at the newest (no 500, no initial state)", async () => {
    const res = await call("GET", `${configMaps}?watch=true&timeoutSeconds=-1&resourceVersion=18446744073709551615`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
  });
});
