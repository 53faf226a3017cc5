import { describe, expect, it } from "vitest";
import { installRoutes, renderInstallScript } from "./install.ts";

describe("GET /install.sh", () => {
  it("serves the installer with the request's origin as the server, without authentication", async () => {
    const res = await installRoutes.request("https://edgeset.example.com/install.sh?x=1");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/x-shellscript; charset=utf-8");
    const script = await res.text();
    expect(script.startsWith("#!/bin/sh\n")).toBe(true);
    expect(script).toContain("SERVER='https://edgeset.example.com'\n");
    expect(script).toContain("curl -fsSL https://edgeset.example.com/install.sh -o install.sh");
  });

  it("installs a unit that lets workloads outlive the agent", () => {
    const script = renderInstallScript("https://cp.example");
    expect(script).toContain("KillMode=process");
    expect(script).toContain("EnvironmentFile=$ETC/agent.env");
    expect(script).toContain("Restart=always");
  });
});

describe("GET /edgeset-agent.js", () => {
  it("hands the request to the static assets, without authentication", async () => {
    const assets = { fetch: async (request: Request) => new Response(`asset ${new URL(request.url).pathname}`) };
    const res = await installRoutes.request("https://cp.example/edgeset-agent.js", {}, { ASSETS: assets } as unknown as Env);
    expect(await res.text()).toBe("asset /edgeset-agent.js");
  });

  it("says so when the bundle is not deployed", async () => {
    const res = await installRoutes.request("https://cp.example/edgeset-agent.js", {}, {} as Env);
    expect(res.status).toBe(404);
  });
});
