import { Hono } from "hono";
import { DurableObject } from "cloudflare:workers";
const app = new Hono<{ Bindings: Env }>();
app.get("/version", (c) => c.json({ major: "1" }));
export class DaemonSetController extends DurableObject<Env> { async ping() { return 1; } }
export class NodeLifecycleController extends DurableObject<Env> {}
export default app;
