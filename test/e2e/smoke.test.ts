import { unstable_startWorker } from "wrangler";
import { it, expect } from "vitest";
it("starts the worker", async () => {
  const worker = await unstable_startWorker({ config: "wrangler.jsonc", dev: { persist: false, server: { hostname: "127.0.0.1", port: 0 }, inspector: false } });
  try {
    const url = await worker.url;
    const res = await fetch(new URL("/version", url));
    expect(await res.json()).toEqual({ major: "1" });
  } finally { await worker.dispose(); }
});
