/**
 * End-to-end harness: the real Worker (wrangler's `unstable_startWorker`, workerd underneath) on
 * a loopback port chosen at run time, over https with a throwaway self-signed certificate, with
 * its D1 migrated by `wrangler d1 migrations apply` into a per-test state directory. `restart()`
 * stops and starts it on the same state, as a crash and reboot of the control plane would.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unstable_startWorker } from "wrangler";
import { requestJson, type HttpResult, type RequestOptions } from "../../scripts/lib/http.ts";
import type { Connection } from "../../scripts/lib/kubeconfig.ts";
import { ensureLocalCertificate } from "../../scripts/lib/tls.ts";
import { wranglerBin } from "../../scripts/lib/wrangler.ts";

/** One certificate for the whole run (openssl is not fast enough to make one per test). */
const certDir = join(tmpdir(), "edgeset-e2e-tls");

export interface ControlPlaneOptions {
  nodeGraceSeconds?: number;
  syncIntervalSeconds?: number;
  /** More Worker variables (`CORS_ALLOWED_ORIGINS`). */
  vars?: Record<string, string>;
}

export interface ControlPlane {
  url: string;
  connection: Connection;
  caFile: string;
  /** The certificate's private key (the link proxy serves the same certificate). */
  keyFile: string;
  stateDir: string;
  /** JSON request with the admin token. */
  api(method: string, path: string, body?: unknown, options?: RequestOptions): Promise<HttpResult & { json: () => any }>;
  /** A JSON merge patch (what `kubectl label` sends). */
  mergePatch(path: string, body: unknown): Promise<HttpResult & { json: () => any }>;
  restart(): Promise<void>;
  /**
   * Runs SQL on the control plane's D1 behind the API's back (`wrangler d1 execute`): what an older
   * version of the control plane may have stored, that today's API refuses.
   */
  sql(statement: string): void;
  /** Stops the Worker, keeping its state and port (a control plane outage); `up()` brings it back. */
  down(): Promise<void>;
  up(): Promise<void>;
  stop(): Promise<void>;
}

export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const tls = ensureLocalCertificate(certDir);
  const stateDir = mkdtempSync(join(tmpdir(), "edgeset-e2e-state-"));
  const migrate = spawnSync(process.execPath, [wranglerBin, "d1", "migrations", "apply", "edgeset", "--local", "--persist-to", stateDir], { encoding: "utf8" });
  if (migrate.status !== 0) throw new Error(`migrations failed: ${migrate.stdout}${migrate.stderr}`);
  const token = `e2e-${Math.random().toString(36).slice(2)}`;
  const secretKeys = `e2e:${randomBytes(32).toString("base64")}`;
  let port = 0;
  const launch = async () => {
    const worker = await unstable_startWorker({
      config: "wrangler.toml",
      bindings: {
        ADMIN_TOKEN: { type: "plain_text", value: token },
        SECRET_ENCRYPTION_KEYS: { type: "plain_text", value: secretKeys },
        NODE_GRACE_SECONDS: { type: "plain_text", value: String(options.nodeGraceSeconds ?? 40) },
        SYNC_INTERVAL_SECONDS: { type: "plain_text", value: String(options.syncIntervalSeconds ?? 1) },
        ...Object.fromEntries(Object.entries(options.vars ?? {}).map(([name, value]) => [name, { type: "plain_text", value }])),
      },
      dev: {
        persist: stateDir,
        server: { hostname: "127.0.0.1", port, secure: true, httpsKeyPath: tls.keyFile, httpsCertPath: tls.certFile },
        inspector: false,
        watch: false,
        logLevel: "error",
      },
    } as Parameters<typeof unstable_startWorker>[0]);
    const url = (await worker.url).toString();
    port = Number(new URL(url).port);
    return { worker, url };
  };
  let running = await launch();
  const connection: Connection = { server: running.url.replace(/\/$/, ""), token, ca: readFileSync(tls.certFile, "utf8") };
  const api: ControlPlane["api"] = async (method, path, body, requestOptions) => {
    const result = await requestJson(connection, method, path, body, requestOptions);
    return { ...result, json: () => JSON.parse(result.body) };
  };
  return {
    get url() {
      return connection.server;
    },
    connection,
    caFile: tls.certFile,
    keyFile: tls.keyFile,
    stateDir,
    api,
    mergePatch: (path, body) => api("PATCH", path, body, { contentType: "application/merge-patch+json" }),
    async restart() {
      await running.worker.dispose();
      running = await launch();
    },
    sql(statement) {
      const run = spawnSync(process.execPath, [wranglerBin, "d1", "execute", "edgeset", "--local", "--persist-to", stateDir, "--command", statement], { encoding: "utf8" });
      if (run.status !== 0) throw new Error(`d1 execute failed: ${run.stdout}${run.stderr}`);
    },
    async down() {
      await running.worker.dispose();
    },
    async up() {
      running = await launch();
    },
    async stop() {
      await running.worker.dispose();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
