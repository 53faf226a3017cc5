/**
 * Browser tests: Debian's Chromium (`/usr/bin/chromium`, or CHROMIUM_PATH) driven by
 * playwright-core, which downloads no browser of its own; and a tiny static server on a loopback
 * port chosen at run time, a second origin for CORS tests.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { chromium, type Browser } from "playwright-core";

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: chromiumPath, headless: true });

export interface StaticSite {
  origin: string;
  close(): Promise<void>;
}

/** Serves `html` at every path on 127.0.0.1. */
export async function serveStatic(html: string): Promise<StaticSite> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
