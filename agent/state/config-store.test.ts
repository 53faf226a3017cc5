import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ConfigMap, Secret } from "../../src/resources/types.ts";
import { ConfigStore } from "./config-store.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "edgeset-cfg-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const cm = (name: string, value: string): ConfigMap => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "default" }, data: { k: value } });
const secret = (name: string, value: string): Secret => ({ apiVersion: "v1", kind: "Secret", metadata: { name, namespace: "default" }, data: { k: Buffer.from(value).toString("base64") } });

describe("ConfigStore", () => {
  it("answers lookups and says when a sync changed anything", () => {
    const store = new ConfigStore();
    expect(store.replace([cm("a", "1")], [secret("s", "x")])).toBe(true);
    expect(store.replace([cm("a", "1")], [secret("s", "x")])).toBe(false);
    expect(store.replace([cm("a", "2")], [secret("s", "x")])).toBe(true);
    expect(store.replace([cm("a", "2")], [secret("s", "y")])).toBe(true);
    expect(store.configMap("default", "a")?.data).toEqual({ k: "2" });
    expect(store.secret("default", "s")?.data?.k).toBe(Buffer.from("y").toString("base64"));
    expect(store.configMap("other", "a")).toBeUndefined();
  });

  it("keeps Secrets in its file (0600) across restarts and removes the file when none is needed", () => {
    const file = join(dir, "secrets.json");
    const first = new ConfigStore({ secretsFile: file });
    first.replace([], [secret("s", "x")]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = new ConfigStore({ secretsFile: file });
    second.load([cm("a", "1")]);
    expect(second.secret("default", "s")).toBeDefined();
    expect(second.configMap("default", "a")).toBeDefined();
    second.replace([], []);
    expect(existsSync(file)).toBe(false);
  });
});
