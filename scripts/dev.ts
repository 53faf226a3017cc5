/**
 * `npm run dev`: the control plane alone (wrangler dev over https on 127.0.0.1:$EDGESET_PORT).
 * Ctrl-C stops it.
 */
import { printConnection, startControlPlane, stopAll } from "./lib/local-control-plane.ts";

const log = (line: string) => console.log(line);
const cp = await startControlPlane(log);
printConnection(cp.connection, log);
const stop = async (signal: NodeJS.Signals) => {
  await stopAll([cp.process], signal);
  process.exit(0);
};
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
cp.process.on("exit", (code) => process.exit(code ?? 1));
