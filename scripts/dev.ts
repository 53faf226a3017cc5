/**
 * `npm run dev`: the control plane alone (wrangler dev over https on 127.0.0.1:$EDGESET_PORT).
 * Ctrl-C stops it.
 */
import { printConnection, startControlPlane, stopAll } from "./lib/local-control-plane.ts";

const log = (line: string) => console.log(line);
const cp = await startControlPlane(log);
printConnection(cp.connection, log);
const stop = async () => {
  await stopAll([cp.process]);
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
cp.process.on("exit", (code) => process.exit(code ?? 1));
