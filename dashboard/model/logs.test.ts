import { describe, expect, it } from "vitest";
import { boundTailLines, logFailureText, logPath, logTargets } from "./logs.ts";
import type { Pod } from "./types.ts";

const pod = (name: string, containers: string[], namespace?: string): Pod => ({ metadata: { name, namespace }, spec: { containers: containers.map((c) => ({ name: c })) } });

it("logTargets lists each container of each pod", () => {
  expect(logTargets([pod("a", ["main", "side"], "kl"), pod("b", ["main"])]).map((t) => t.id)).toEqual(["kl/a/main", "kl/a/side", "default/b/main"]);
});

it("logPath names the container, the tail and a byte bound, encoded", () => {
  const [target] = logTargets([pod("web x", ["main"], "n s")]);
  expect(logPath(target!, 50)).toBe("/api/v1/namespaces/n%20s/pods/web%20x/log?container=main&tailLines=50&limitBytes=1048576");
});

it.each([
  ["100", 100],
  ["0", 200],
  ["-3", 200],
  ["abc", 200],
  ["", 200],
  ["99999", 5000],
  ["12.7", 12],
])("boundTailLines(%j) is %i", (text, want) => {
  expect(boundTailLines(text)).toBe(want);
});

describe("logFailureText", () => {
  it.each([
    [504, "Timeout", 'node "n1" did not connect within 17s', /n1 did not connect\. Logs need the device to connect.*up to one sync interval/],
    [404, "NotFound", 'pods "x" not found', /the pod is gone/],
    [404, "NotFound", "the server could not find the requested resource", /does not serve pod logs/],
    [429, "TooManyRequests", "", /too many log sessions/],
    [403, "Forbidden", "no", /may not read pods\/log/],
    [502, "", "the device sent a malformed session answer", /could not serve them/],
    [400, "BadRequest", "bad", /^No logs\. \(400 BadRequest: bad\)$/],
  ])("%i %s", (status, reason, message, want) => {
    expect(logFailureText(status, reason, message, "n1")).toMatch(want);
  });
});
