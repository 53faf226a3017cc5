import { describe, expect, it } from "vitest";
import { takeToken, type Bucket } from "./token-bucket.ts";

describe("takeToken", () => {
  const limit = { perMinute: 60 };
  it.each<[string, Bucket | undefined, number, boolean, number, number]>([
    // name, bucket, now, allowed, tokens left, retry after
    ["a new key starts full", undefined, 0, true, 59, 0],
    ["the last token is spent", { tokens: 1, at: 0 }, 0, true, 0, 0],
    ["an empty bucket refuses, one token a second", { tokens: 0, at: 0 }, 0, false, 0, 1],
    ["half a token refuses with the rest of the second", { tokens: 0, at: 0 }, 500, false, 0.5, 1],
    ["a second refills one token", { tokens: 0, at: 0 }, 1000, true, 0, 0],
    ["refill stops at the capacity", { tokens: 10, at: 0 }, 3_600_000, true, 59, 0],
    ["a clock that goes back refills nothing", { tokens: 0, at: 5000 }, 1000, false, 0, 1],
  ])("%s", (_name, bucket, now, allowed, tokens, retry) => {
    const take = takeToken(bucket, now, limit);
    expect(take.allowed).toBe(allowed);
    expect(take.bucket.tokens).toBeCloseTo(tokens);
    expect(take.retryAfterSeconds).toBe(retry);
  });

  it("waits longer at a slower rate", () => {
    expect(takeToken({ tokens: 0, at: 0 }, 0, { perMinute: 6 }).retryAfterSeconds).toBe(10);
  });
});
