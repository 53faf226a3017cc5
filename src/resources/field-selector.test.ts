import { describe, expect, it } from "vitest";
import {
  SelectorError,
  escapeFieldValue,
  formatFieldSelector,
  matchesFields,
  parseFieldSelector,
  requiresExactMatch,
  type FieldRequirement,
} from "./field-selector.ts";

describe("parseFieldSelector", () => {
  it.each<[string, FieldRequirement[]]>([
    ["", []],
    ["metadata.name=x", [{ field: "metadata.name", operator: "=", value: "x" }]],
    ["metadata.name==x", [{ field: "metadata.name", operator: "==", value: "x" }]],
    ["involvedObject.namespace=", [{ field: "involvedObject.namespace", operator: "=", value: "" }]],
    [
      "spec.nodeName=n1,status.phase!=Succeeded,status.phase!=Failed",
      [
        { field: "spec.nodeName", operator: "=", value: "n1" },
        { field: "status.phase", operator: "!=", value: "Failed" },
        { field: "status.phase", operator: "!=", value: "Succeeded" },
      ],
    ],
    ["a=x\\,y\\=z\\\\", [{ field: "a", operator: "=", value: "x,y=z\\" }]],
    ["a=b,,", [{ field: "a", operator: "=", value: "b" }]],
  ])("%j", (text, expected) => {
    expect(parseFieldSelector(text)).toEqual(expected);
  });

  it.each([
    ["metadata.name", "invalid selector: 'metadata.name'; can't understand 'metadata.name'"],
    ["a=b,c", "invalid selector: 'a=b,c'; can't understand 'c'"],
    ["a=b=c", "invalid field selector: unescaped character in value: 61"],
    ["a=\\x", "invalid field selector: invalid escape sequence: \\x"],
    ["a=b\\", "invalid field selector: invalid escape sequence: \\"],
  ])("%j is rejected: %s", (text, message) => {
    expect(() => parseFieldSelector(text)).toThrow(new SelectorError(message));
  });
});

describe("matchesFields", () => {
  const pod = { "metadata.name": "p", "spec.nodeName": "n1", "status.phase": "Running" };
  it.each([
    ["", true],
    ["spec.nodeName=n1", true],
    ["spec.nodeName=n2", false],
    ["status.phase!=Succeeded,status.phase!=Failed", true],
    ["status.phase!=Running", false],
    ["metadata.namespace=", true],
    ["metadata.namespace!=", false],
  ])("%j -> %s", (text, expected) => {
    expect(matchesFields(parseFieldSelector(text), pod)).toBe(expected);
  });

  it("treats an undefined field as empty", () => {
    expect(matchesFields(parseFieldSelector("involvedObject.namespace="), { "involvedObject.namespace": undefined })).toBe(true);
  });
});

describe("escaping and formatting", () => {
  it.each(["plain", "a,b", "x=y", "back\\slash", ""])("%j survives escape + parse", (value) => {
    expect(parseFieldSelector(`f=${escapeFieldValue(value)}`)).toEqual([{ field: "f", operator: "=", value }]);
  });

  it("formats requirements back into a selector string", () => {
    expect(formatFieldSelector(parseFieldSelector("b!=x\\,y,a==1"))).toBe("a=1,b!=x\\,y");
  });

  it.each([
    ["metadata.name=x", "x"],
    ["metadata.name!=x", undefined],
    ["spec.nodeName=n", undefined],
  ])("requiresExactMatch(%j, metadata.name) -> %j", (text, value) => {
    expect(requiresExactMatch(parseFieldSelector(text), "metadata.name")).toBe(value);
  });
});
