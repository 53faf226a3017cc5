import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { checkInstallOptions, renderInstallCommand } from "./install-command.ts";

describe("renderInstallCommand", () => {
  it("is the documented install with the token, for a publicly trusted server", () => {
    expect(renderInstallCommand({ server: "https://edgeset.example.com/", token: "abcdef.0123456789abcdef", labels: "site=shop-7,hw=pi4", nodeName: "shop-7-pi" })).toBe(
      "curl -fsSL https://edgeset.example.com/install.sh -o install.sh &&\n  sudo EDGESET_BOOTSTRAP_TOKEN=abcdef.0123456789abcdef sh install.sh --labels site=shop-7,hw=pi4 --node-name shop-7-pi\n",
    );
  });

  it("embeds a private certificate and hands it to curl and the installer; the shell reads it back intact", () => {
    const ca = "-----BEGIN CERTIFICATE-----\nMIIB'x\n-----END CERTIFICATE-----\n";
    const command = renderInstallCommand({ server: "https://127.0.0.1:8787", token: "abcdef.0123456789abcdef", ca });
    expect(command).toContain("curl -fsSL --cacert edgeset-ca.pem https://127.0.0.1:8787/install.sh");
    expect(command).toContain('EDGESET_CA_FILE="$PWD/edgeset-ca.pem"');
    const firstStep = command.split(" &&\n")[0]!.replace("> edgeset-ca.pem", "");
    expect(spawnSync("sh", ["-c", firstStep], { encoding: "utf8" }).stdout).toBe(ca);
    expect(spawnSync("sh", ["-n", "-c", command]).status).toBe(0);
  });
});

describe("checkInstallOptions", () => {
  it.each([
    [{ labels: "site=a,hw=pi4" }, undefined],
    [{ labels: "site" }, /--labels/],
    [{ labels: "a=b;rm -rf /" }, /--labels/],
    [{ runtime: "lxc" }, /--runtime/],
    [{ nodeName: "Bad_Name" }, /--node-name/],
    [{ deviceServer: "ftp://x" }, /--device-server/],
  ])("%j", (options, expected) => {
    const message = checkInstallOptions(options);
    if (expected) expect(message).toMatch(expected);
    else expect(message).toBeUndefined();
  });
});
