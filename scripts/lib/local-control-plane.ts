/**
 * @module
 * Running the control plane on this machine, as `npm start` and `npm run dev` do: an admin token
 * in `.dev.vars` (EDGESET_ADMIN_TOKEN wins when set), a self-signed certificate, the D1
 * migrations applied to the local database, then `wrangler dev` over https on 127.0.0.1
 * (EDGESET_PORT, default 8787) with state under `.wrangler/`, and a kubeconfig in `.edgeset/`.
 * EDGESET_CORS_ORIGINS (comma-separated origins) becomes the Worker's CORS_ALLOWED_ORIGINS.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { waitForHealthy } from "./http.ts";
import { renderKubeconfig, type Connection } from "./kubeconfig.ts";
import { ensureLocalCertificate, type TlsFiles } from "./tls.ts";
import { wranglerBin } from "./wrangler.ts";

export const stateDir = ".edgeset";
export const kubeconfigPath = join(stateDir, "kubeconfig");


/** Reads `.dev.vars` (wrangler's local secrets) as a map. */
function readDevVars(file: string): Map<string, string> {
  const vars = new Map<string, string>();
  if (!existsSync(file)) return vars;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) vars.set(m[1]!, m[2]!.replace(/^"|"$/g, ""));
  }
  return vars;
}

/**
 * The local secrets, in `.dev.vars` (mode 0600): the admin token (EDGESET_ADMIN_TOKEN wins when
 * set, else the saved one, else a new one) and a Secret encryption key made once.
 */
export function ensureDevVars(): { adminToken: string } {
  const file = ".dev.vars";
  const vars = readDevVars(file);
  const adminToken = process.env.EDGESET_ADMIN_TOKEN || vars.get("ADMIN_TOKEN") || randomBytes(24).toString("base64url");
  vars.set("ADMIN_TOKEN", adminToken);
  if (!vars.get("SECRET_ENCRYPTION_KEYS")) vars.set("SECRET_ENCRYPTION_KEYS", `local1:${randomBytes(32).toString("base64")}`);
  writeFileSync(file, [...vars].map(([k, v]) => `${k}=${v}\n`).join(""), { mode: 0o600 });
  chmodSync(file, 0o600);
  return { adminToken };
}

export function port(): number {
  const value = Number(process.env.EDGESET_PORT ?? 8787);
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`EDGESET_PORT must be a port number (got ${process.env.EDGESET_PORT})`);
  return value;
}

export function applyMigrations(): void {
  const result = spawnSync(process.execPath, [wranglerBin, "d1", "migrations", "apply", "edgeset", "--local"], { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  if (result.status !== 0) throw new Error(`applying the D1 migrations failed:\n${result.stdout}${result.stderr}`);
}

export interface RunningControlPlane {
  connection: Connection;
  tls: TlsFiles;
  process: ChildProcess;
}

export async function startControlPlane(log: (line: string) => void): Promise<RunningControlPlane> {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const token = ensureDevVars().adminToken;
  const tls = ensureLocalCertificate(join(stateDir, "tls"));
  log("applying database migrations to the local D1 …");
  applyMigrations();
  const listen = port();
  const child = spawn(
    process.execPath,
    [
      wranglerBin, "dev",
      "--ip", "127.0.0.1",
      "--port", String(listen),
      "--local-protocol", "https",
      "--https-key-path", tls.keyFile,
      "--https-cert-path", tls.certFile,
      "--show-interactive-dev-session=false",
      // Browser dashboards on other origins (src/api/cors): EDGESET_CORS_ORIGINS sets the Worker's variable.
      ...(process.env.EDGESET_CORS_ORIGINS ? ["--var", `CORS_ALLOWED_ORIGINS:${process.env.EDGESET_CORS_ORIGINS}`] : []),
    ],
    { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
  );
  const connection: Connection = { server: `https://127.0.0.1:${listen}`, token, ca: readFileSync(tls.certFile, "utf8") };
  const exited = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`wrangler dev exited (code ${code}) before the control plane came up`))));
  await Promise.race([waitForHealthy(connection, 120_000), exited]);
  writeFileSync(kubeconfigPath, renderKubeconfig(connection), { mode: 0o600 });
  return { connection, tls, process: child };
}

/**
 * Stops children in order. After Ctrl-C the terminal already sent SIGINT to all of them, so each
 * gets time to finish on its own (the agent stops its pods); otherwise, or if one lingers, SIGTERM,
 * then SIGKILL after 10 s.
 */
export async function stopAll(children: ChildProcess[], signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const term = setTimeout(() => child.kill("SIGTERM"), signal === "SIGINT" ? 15_000 : 0);
    const kill = setTimeout(() => child.kill("SIGKILL"), (signal === "SIGINT" ? 15_000 : 0) + 10_000);
    await gone;
    clearTimeout(term);
    clearTimeout(kill);
  }
}

export function printConnection(connection: Connection, log: (line: string) => void): void {
  log("");
  log(`  edgeset control plane: ${connection.server}`);
  log(`  admin token:           ${connection.token}   (kept in .dev.vars)`);
  log(`  kubeconfig:            ${kubeconfigPath}`);
  log("");
  log(`  export KUBECONFIG=$PWD/${kubeconfigPath}`);
  log("  kubectl get nodes");
  log("");
}
