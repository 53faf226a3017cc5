import { describe, expect, it } from "vitest";
import {
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  nameIsDNSSubdomain,
} from "./names.ts";

const subdomainMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const labelMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const nameMsg =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const valueMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

describe("isDNS1123Subdomain", () => {
  it.each([
    ["nginx-ds", []],
    ["edge.example.com", []],
    ["0abc", []],
    ["a".repeat(253), []],
    ["Nginx", [subdomainMsg]],
    ["-a", [subdomainMsg]],
    ["a_b", [subdomainMsg]],
    ["", [subdomainMsg]],
    ["a".repeat(254), ["must be no more than 253 characters"]],
  ])("%j -> %j", (value, errs) => {
    expect(isDNS1123Subdomain(value)).toEqual(errs);
  });
});

describe("isDNS1123Label", () => {
  it.each([
    ["kube-system", []],
    ["a.b", ["must not contain dots"]],
    ["A", [labelMsg]],
    ["a".repeat(64), ["must be no more than 63 characters"]],
  ])("%j -> %j", (value, errs) => {
    expect(isDNS1123Label(value)).toEqual(errs);
  });
});

describe("isDNS1035Label", () => {
  it.each([
    ["svc-1", 0],
    ["1svc", 1],
  ])("%j has %i errors", (value, n) => {
    expect(isDNS1035Label(value)).toHaveLength(n);
  });
});

describe("isQualifiedName", () => {
  it.each([
    ["app", []],
    ["App.Name_1", []],
    ["kubernetes.io/hostname", []],
    ["example.com/MyName", []],
    ["a/b/c", [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ]],
    ["/name", ["prefix part must be non-empty"]],
    ["Example.com/name", [`prefix part ${subdomainMsg}`]],
    ["prefix/", ["name part must be non-empty", nameMsg]],
    ["", ["name part must be non-empty", nameMsg]],
    ["-app", [nameMsg]],
    ["a b", [nameMsg]],
    ["a".repeat(64), ["name part must be no more than 63 characters"]],
  ])("%j -> %j", (value, errs) => {
    expect(isQualifiedName(value)).toEqual(errs);
  });
});

describe("isValidLabelValue", () => {
  it.each([
    ["", []],
    ["production", []],
    ["v1.2_3-a", []],
    ["a b", [valueMsg]],
    ["-x", [valueMsg]],
    ["a".repeat(64), ["must be no more than 63 characters"]],
  ])("%j -> %j", (value, errs) => {
    expect(isValidLabelValue(value)).toEqual(errs);
  });
});

const configKeyMsg = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

describe("isConfigMapKey", () => {
  it.each([
    ["app.conf", []],
    ["KEY_NAME", []],
    [".hidden", []],
    ["a".repeat(253), []],
    ["a b", [configKeyMsg]],
    ["", [configKeyMsg]],
    ["a/b", [configKeyMsg]],
    [".", ["must not be '.'"]],
    ["..", ["must not be '..'"]],
    ["..data", ["must not start with '..'"]],
    ["a".repeat(254), ["must be no more than 253 characters"]],
  ])("%j -> %j", (value, errs) => {
    expect(isConfigMapKey(value)).toEqual(errs);
  });
});

describe("nameIsDNSSubdomain", () => {
  it.each([
    ["web-", false, 1],
    ["web-", true, 0],
    ["web", true, 0],
  ])("%j (prefix %s) has %i errors", (name, prefix, n) => {
    expect(nameIsDNSSubdomain(name, prefix)).toHaveLength(n);
  });
});
