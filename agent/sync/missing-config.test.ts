import { describe, expect, it } from "vitest";
import type { ConfigMap, Pod, Secret } from "../../src/resources/types.ts";
import { ConfigStore } from "../state/config-store.ts";
import { makePod } from "../testing/pods.ts";
import { absentConfig, missingConfig } from "./missing-config.ts";

const configMap = (name: string, namespace = "default"): ConfigMap => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace }, data: {} });
const secret = (name: string, namespace = "default"): Secret => ({ apiVersion: "v1", kind: "Secret", metadata: { name, namespace }, data: {} });

function podUsing(refs: { secretEnv?: string; configMapVolume?: string; pullSecret?: string; namespace?: string }): Pod {
  const pod = makePod("web", {
    namespace: refs.namespace,
    containers: [{ name: "main", command: ["true"], env: refs.secretEnv ? [{ name: "TOKEN", valueFrom: { secretKeyRef: { name: refs.secretEnv, key: "token" } } }] : [] }],
  });
  if (refs.configMapVolume) pod.spec.volumes = [{ name: "config", configMap: { name: refs.configMapVolume } }];
  if (refs.pullSecret) pod.spec.imagePullSecrets = [{ name: refs.pullSecret }];
  return pod;
}

function storeWith(configMaps: ConfigMap[], secrets: Secret[]): ConfigStore {
  const store = new ConfigStore();
  store.replace(configMaps, secrets);
  return store;
}

describe("missingConfig", () => {
  it.each([
    { name: "nothing referenced", pods: [makePod("plain")], store: storeWith([], []), absent: [], want: [] },
    { name: "everything here", pods: [podUsing({ secretEnv: "creds", configMapVolume: "app" })], store: storeWith([configMap("app")], [secret("creds")]), absent: [], want: [] },
    { name: "a Secret lost with the tmpfs", pods: [podUsing({ secretEnv: "creds", configMapVolume: "app" })], store: storeWith([configMap("app")], []), absent: [], want: ["Secret default/creds"] },
    { name: "an imagePullSecret lost", pods: [podUsing({ pullSecret: "registry" })], store: storeWith([], []), absent: [], want: ["Secret default/registry"] },
    { name: "a ConfigMap lost", pods: [podUsing({ configMapVolume: "app" })], store: storeWith([], []), absent: [], want: ["ConfigMap default/app"] },
    { name: "one the server does not have either", pods: [podUsing({ secretEnv: "creds" })], store: storeWith([], []), absent: ["Secret default/creds"], want: [] },
    { name: "the same name in another namespace", pods: [podUsing({ secretEnv: "creds", namespace: "edge" })], store: storeWith([], [secret("creds")]), absent: [], want: ["Secret edge/creds"] },
  ])("$name", ({ pods, store, absent, want }) => {
    expect(missingConfig(pods, store, new Set(absent))).toEqual(want);
  });
});

describe("absentConfig", () => {
  it.each([
    { name: "all delivered", configMaps: [configMap("app")], secrets: [secret("creds")], want: [] },
    { name: "a Secret that does not exist", configMaps: [configMap("app")], secrets: [], want: ["Secret default/creds"] },
    { name: "a delivered object of the other kind does not count", configMaps: [configMap("app"), configMap("creds")], secrets: [], want: ["Secret default/creds"] },
  ])("$name", ({ configMaps, secrets, want }) => {
    expect([...absentConfig([podUsing({ secretEnv: "creds", configMapVolume: "app" })], configMaps, secrets)]).toEqual(want);
  });
});
