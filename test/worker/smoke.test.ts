import { exports, env } from "cloudflare:workers";
import { it, expect } from "vitest";
it("serves /version", async () => {
  const res = await exports.default.fetch("http://x/version");
  expect(await res.json()).toEqual({ major: "1" });
  const stub = env.DAEMONSET_CONTROLLER.getByName("a");
  expect(await stub.ping()).toBe(1);
});
