/**
 * `npm start`: the control plane plus one local agent as a demo node, so `kubectl get nodes` shows
 * a device at once. The demo agent keeps its state in `.edgeset/demo-agent` and stops its
 * workloads when you press Ctrl-C, which stops both.
 */
import { spawn } from "node:child_process";
import { hostname } from "node:os";
import { errorMessage, requestJson } from "./lib/http.ts";
import { printConnection, startControlPlane, stopAll } from "./lib/local-control-plane.ts";

const log = (line: string) => console.log(line);
const cp = await startControlPlane(log);
const token = await requestJson(cp.connection, "POST", "/edgeset/v1/bootstraptokens", { ttlSeconds: 3600, usages: 1, description: "npm start demo node" });
if (token.status !== 201) throw new Error(`creating a bootstrap token failed: ${errorMessage(token)}`);
const nodeName = (process.env.EDGESET_DEMO_NODE ?? `${hostname()}-demo`).toLowerCase().replace(/[^a-z0-9.-]/g, "-");
const agent = spawn(
  process.execPath,
  [
    "agent/main.ts",
    "--server", cp.connection.server,
    "--ca-file", cp.tls.certFile,
    "--bootstrap-token", (JSON.parse(token.body) as { token: string }).token,
    "--node-name", nodeName,
    "--labels", "edgeset.dev/demo=true",
    "--state-dir", ".edgeset/demo-agent",
    "--sync-interval", "5",
    "--stop-pods-on-exit",
  ],
  { stdio: ["ignore", "inherit", "inherit"] },
);
printConnection(cp.connection, log);
log(`  demo node: ${nodeName} (agent state in .edgeset/demo-agent)`);
log("  try: kubectl apply -f examples/hello-daemonset.yaml && kubectl get pods -o wide");
log("  Ctrl-C stops the agent and the control plane.");
log("");

let stopping = false;
const stop = async (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  await stopAll([agent, cp.process], signal);
  process.exit(0);
};
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
cp.process.on("exit", () => void stop("SIGTERM"));
