/**
 * The edgeset control plane: one Worker serving the Kubernetes API, the agent API and the
 * dashboard, with one Durable Object per DaemonSet and one for node liveness.
 */
import { createApp } from "./api/app.ts";

export { DaemonSetController } from "./controller/daemonset-controller.ts";
export { NodeLifecycleController } from "./controller/node-lifecycle.ts";
export { NodeShard } from "./controller/node-shard.ts";
export { SessionBridge } from "./controller/session-bridge.ts";

export default createApp();
