import { describe, expect, it } from "vitest";
import { corsHeaders, isPreflight, parseAllowedOrigins } from "./policy.ts";

describe("parseAllowedOrigins", () => {
  const cases: [string | undefined, string[]][] = [
    [undefined, []],
    ["", []],
    ["https://dash.example.com", ["https://dash.example.com"]],
    [" https://a.example , http://127.0.0.1:8080/ ,", ["https://a.example", "http://127.0.0.1:8080"]],
    ["*", []],
    ["dash.example.com", []],
    ["https://a.example/path", []],
    ["ftp://a.example", []],
    ["https://A.example", ["https://a.example"]],
  ];
  it.each(cases)("%j", (value, want) => {
    expect([...parseAllowedOrigins(value)]).toEqual(want);
  });

  it("keeps at most 64", () => {
    const many = Array.from({ length: 100 }, (_, i) => `https://d${i}.example`).join(",");
    expect(parseAllowedOrigins(many).size).toBe(64);
  });
});

describe("isPreflight", () => {
  it("is an OPTIONS that names the method it wants", () => {
    expect(isPreflight("OPTIONS", "GET")).toBe(true);
    expect(isPreflight("OPTIONS", undefined)).toBe(false);
    expect(isPreflight("GET", "GET")).toBe(false);
  });
});

it("exposes ETag, Warning and Retry-After, and no credentials header", () => {
  const headers = corsHeaders("https://a.example");
  expect(headers["Access-Control-Expose-Headers"]).toBe("ETag, Warning, Retry-After");
  expect(headers).not.toHaveProperty("Access-Control-Allow-Credentials");
});
