import { describe, expect, it } from "vitest";
import type { Container } from "../../../src/resources/types.ts";
import { pullImagesOf } from "./stage-images.ts";

function cli(present: string[], failing: string[] = []) {
  const pulls: string[] = [];
  return {
    pulls,
    imagePresent: async (image: string) => present.includes(image),
    pull: async (image: string) => {
      pulls.push(image);
      return failing.includes(image) ? { code: 1, stdout: "", stderr: "Error: manifest unknown\n" } : { code: 0, stdout: "", stderr: "" };
    },
  };
}
const config = { configMap: () => undefined, secret: () => undefined };
const spec = (...containers: Container[]) => ({ containers });

describe("pullImagesOf", () => {
  it.each([
    ["IfNotPresent, missing: pulled", [{ name: "a", image: "web:2" }], [], ["web:2"]],
    ["IfNotPresent, present: nothing", [{ name: "a", image: "web:2" }], ["web:2"], []],
    ["no policy and :latest means Always: pulled though present", [{ name: "a", image: "web:latest" }], ["web:latest"], ["web:latest"]],
    ["Always: pulled", [{ name: "a", image: "web:2", imagePullPolicy: "Always" }], ["web:2"], ["web:2"]],
    ["Never, present: nothing", [{ name: "a", image: "web:2", imagePullPolicy: "Never" }], ["web:2"], []],
    ["the same image twice: one pull", [{ name: "a", image: "web:2" }, { name: "b", image: "web:2" }], [], ["web:2"]],
  ] as [string, Container[], string[], string[]][])("%s", async (_name, containers, present, pulled) => {
    const engine = cli(present);
    expect(await pullImagesOf(engine, config, "default", spec(...containers))).toEqual(pulled);
    expect(engine.pulls).toEqual(pulled);
  });

  it.each([
    ["Never, missing", [{ name: "a", image: "web:2", imagePullPolicy: "Never" }], 'Container image "web:2" is not present with pull policy of Never'],
    ["a failed pull", [{ name: "a", image: "gone:1" }], 'failed to pull image "gone:1": manifest unknown'],
    ["an image that is not a reference", [{ name: "a", image: "--privileged" }], /--privileged/],
  ] as [string, Container[], string | RegExp][])("%s fails", async (_name, containers, message) => {
    await expect(pullImagesOf(cli([], ["gone:1"]), config, "default", spec(...containers))).rejects.toThrow(message);
  });
});
