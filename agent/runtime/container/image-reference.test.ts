import { describe, expect, it } from "vitest";
import { imageReferenceProblem } from "./image-reference.ts";

describe("imageReferenceProblem", () => {
  it.each([
    "busybox",
    "busybox:1.36",
    "library/busybox:latest",
    "docker.io/library/nginx:1.27-alpine",
    "registry.example:5000/team/app_x.y:v1.2.3",
    "localhost/a__b/c--d:TAG_1",
    "[::1]:5000/app:1",
    `app@sha256:${"a".repeat(64)}`,
    `ghcr.io/org/app:1.0@sha256:${"0".repeat(64)}`,
  ])("accepts %s", (image) => {
    expect(imageReferenceProblem(image)).toBeUndefined();
  });

  it.each([
    "-x",
    "--privileged",
    "-v/:/host",
    "busybox --privileged",
    "busybox\n",
    "",
    "Busybox",
    "busybox:",
    "busybox:-tag",
    ":tag",
    "a//b",
    "a/-b",
    "busybox@sha256:short",
    `${"a".repeat(256)}`,
  ])("refuses %j", (image) => {
    expect(imageReferenceProblem(image)).toBeDefined();
  });
});
