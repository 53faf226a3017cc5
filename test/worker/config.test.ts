/**
 * ConfigMaps and Secrets: stored (Secrets encrypted at rest), served through the API, and
 * delivered with the assignments to exactly the nodes whose pods reference them, with a new
 * assignments version when they change.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { daemonSet } from "../support/manifests.ts";
import { call, enroll, json, sync, unique } from "./helpers.ts";

function configuredDaemonSet(name: string, site: string, configMap: string, secret: string) {
  return daemonSet({
    name,
    nodeSelector: { site },
    container: {
      image: "fluentd:1",
      command: ["fluentd"],
      env: [{ name: "TOKEN", valueFrom: { secretKeyRef: { name: secret, key: "token" } } }],
      volumeMounts: [{ name: "config", mountPath: "/etc/fluentd" }],
    },
    pod: { volumes: [{ name: "config", configMap: { name: configMap } }] },
  });
}

describe("ConfigMaps and Secrets", () => {
  it("stores Secrets encrypted, folds stringData into data, and never shows plaintext in D1", async () => {
    const name = unique("creds");
    const res = await call("POST", "/api/v1/namespaces/default/secrets", { apiVersion: "v1", kind: "Secret", metadata: { name }, stringData: { password: "hunter2" } });
    expect(res.status).toBe(201);
    const created = await json(res);
    expect(created.data.password).toBe(btoa("hunter2"));
    expect(created.type).toBe("Opaque");
    const row = await env.DB.prepare("SELECT body FROM objects WHERE kind = 'Secret' AND name = ?").bind(name).first<{ body: string }>();
    expect(row!.body).not.toContain(btoa("hunter2"));
    expect(row!.body).toContain("encryptedData");
    expect((await json(await call("GET", `/api/v1/namespaces/default/secrets/${name}`))).data.password).toBe(btoa("hunter2"));
  });

  it.each([
    ["a ConfigMap over 1 MiB", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "big" }, data: { blob: "x".repeat(1024 * 1024 + 1) } }, "configmaps"],
    ["a bad key", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "badkey" }, data: { "no/slash": "x" } }, "configmaps"],
    ["a dockerconfigjson Secret without .dockerconfigjson", { apiVersion: "v1", kind: "Secret", metadata: { name: "reg" }, type: "kubernetes.io/dockerconfigjson", data: {} }, "secrets"],
  ])("rejects %s with 422", async (_what, body, plural) => {
    const res = await call("POST", `/api/v1/namespaces/default/${plural}`, body);
    expect(res.status).toBe(422);
  });

  it("keeps immutable ConfigMaps immutable", async () => {
    const name = unique("frozen");
    await call("POST", "/api/v1/namespaces/default/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data: { a: "1" }, immutable: true });
    const res = await call("PATCH", `/api/v1/namespaces/default/configmaps/${name}`, { data: { a: "2" } }, { contentType: "application/merge-patch+json" });
    expect(res.status).toBe(422);
  });

  it("delivers them only to nodes whose pods reference them, again when they change", async () => {
    const site = unique("site");
    const user = await enroll(unique("user"), { site });
    const bystander = await enroll(unique("bystander"), { site: unique("elsewhere") });
    const [cm, secret, ds] = [unique("fluentd-config"), unique("es-creds"), unique("fluentd")];
    await call("POST", "/api/v1/namespaces/default/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: cm }, data: { "fluent.conf": "v1" } });
    await call("POST", "/api/v1/namespaces/default/secrets", { apiVersion: "v1", kind: "Secret", metadata: { name: secret }, stringData: { token: "s3cret" } });
    await call("POST", "/apis/apps/v1/namespaces/default/daemonsets", configuredDaemonSet(ds, site, cm, secret));
    await env.DAEMONSET_CONTROLLER.getByName(`default/${ds}`).reconcileNow({ namespace: "default", name: ds });

    const first = await json(await sync(user));
    expect(first.configMaps.map((o: any) => o.metadata.name)).toEqual([cm]);
    expect(first.secrets.map((o: any) => [o.metadata.name, atob(o.data.token)])).toEqual([[secret, "s3cret"]]);
    const other = await json(await sync(bystander));
    expect(other.configMaps).toEqual([]);
    expect(other.secrets).toEqual([]);
    expect((await sync(user, undefined, first.version)).status).toBe(304);

    await call("PATCH", `/api/v1/namespaces/default/configmaps/${cm}`, { data: { "fluent.conf": "v2" } }, { contentType: "application/merge-patch+json" });
    const changed = await sync(user, undefined, first.version);
    expect(changed.status).toBe(200);
    expect((await json(changed)).configMaps[0].data["fluent.conf"]).toBe("v2");
    expect((await sync(bystander, undefined, other.version)).status).toBe(304);
  });

  it("refuses a node credential any Secret through the API (403)", async () => {
    const credential = await enroll(unique("nosy"), {});
    const res = await call("GET", "/api/v1/namespaces/default/secrets", undefined, { token: credential });
    expect(res.status).toBe(403);
  });
});
