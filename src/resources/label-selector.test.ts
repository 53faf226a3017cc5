import { describe, expect, it } from "vitest";
import {
  SelectorError,
  formatLabelSelector,
  formatSelector,
  matchesLabels,
  selectorFromLabelSelector,
  validateLabelSelector,
  type Requirement,
} from "./label-selector.ts";
import { parseLabelSelector } from "./label-selector-parse.ts";
import type { LabelSelector, Labels } from "./types.ts";

const reqs = (text: string): Requirement[] | string => {
  const sel = parseLabelSelector(text);
  return sel.kind === "requirements" ? sel.requirements : sel.kind;
};

describe("parseLabelSelector accepts the kubectl grammar", () => {
  it.each<[string, Requirement[] | string]>([
    ["", "everything"],
    ["   ", "everything"],
    ["app=web", [{ key: "app", operator: "=", values: ["web"] }]],
    ["app==web", [{ key: "app", operator: "==", values: ["web"] }]],
    ["app!=web", [{ key: "app", operator: "!=", values: ["web"] }]],
    ["tier in (b,a,b)", [{ key: "tier", operator: "in", values: ["a", "b"] }]],
    ["tier notin (a)", [{ key: "tier", operator: "notin", values: ["a"] }]],
    ["gpu", [{ key: "gpu", operator: "exists", values: [] }]],
    ["!gpu", [{ key: "gpu", operator: "!", values: [] }]],
    ["app=", [{ key: "app", operator: "=", values: [""] }]],
    ["tier in ()", [{ key: "tier", operator: "in", values: [""] }]],
    ["tier in (a,)", [{ key: "tier", operator: "in", values: ["", "a"] }]],
    ["tier in (in)", [{ key: "tier", operator: "in", values: ["in"] }]],
    ["rack>3", [{ key: "rack", operator: "gt", values: ["3"] }]],
    ["rack<3", [{ key: "rack", operator: "lt", values: ["3"] }]],
    ["kubernetes.io/hostname=edge-1", [{ key: "kubernetes.io/hostname", operator: "=", values: ["edge-1"] }]],
    [
      " b = 1 ,\ta\t, !c ",
      [
        { key: "a", operator: "exists", values: [] },
        { key: "b", operator: "=", values: ["1"] },
        { key: "c", operator: "!", values: [] },
      ],
    ],
  ])("%j", (text, expected) => {
    expect(reqs(text)).toEqual(expected);
  });
});

describe("parseLabelSelector rejects malformed strings with Kubernetes' message", () => {
  it.each([
    ["app=web db", "found 'db', expected: ',' or 'end of string'"],
    ["app=a=b", "found '=', expected: ',' or 'end of string'"],
    ["!app=x", "found '=', expected: ',' or 'end of string'"],
    [",app", "found ',', expected: !, identifier, or 'end of string'"],
    ["app,", "found '', expected: identifier after ','"],
    ["tier in (a", "unable to parse requirement: found '', expected: ',' or ')'"],
    ["tier in a", "unable to parse requirement: found 'a' expected: '('"],
    ["tier in (a b)", "unable to parse requirement: found 'b', expected: ',' or ')'"],
    ["tier in (=)", "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ["app web", "unable to parse requirement: found 'web', expected: in, notin, =, ==, !=, gt, lt"],
    ["!", "unable to parse requirement: found '', expected: identifier"],
    ["app=(", "unable to parse requirement: found '(', expected: identifier"],
    [
      "-app=x",
      `unable to parse requirement: <nil>: Invalid value: "-app": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    ],
    [
      "app=-x",
      `unable to parse requirement: values[0][app]: Invalid value: "-x": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ],
    ["rack>x", `unable to parse requirement: values[0]: Invalid value: "x": for 'Gt', 'Lt' operators, the value must be an integer`],
  ])("%j", (text, message) => {
    expect(() => parseLabelSelector(text)).toThrow(new SelectorError(message));
  });

  it("throws a SelectorError", () => {
    expect(() => parseLabelSelector("a in")).toThrow(SelectorError);
  });
});

describe("matchesLabels", () => {
  const node: Labels = { app: "web", tier: "edge", rack: "0206" };
  it.each([
    ["", true],
    ["app=web", true],
    ["app=db", false],
    ["app!=db", true],
    ["missing!=x", true],
    ["tier in (core,edge)", true],
    ["tier notin (edge)", false],
    ["missing notin (edge)", true],
    ["missing in (edge)", false],
    ["app", true],
    ["!app", false],
    ["!missing", true],
    ["rack>204", true],
    ["rack<204", false],
    ["app>1", false],
    ["app=web,tier=core", false],
  ])("%j on app=web,tier=edge,rack=0206 -> %s", (text, expected) => {
    expect(matchesLabels(parseLabelSelector(text), node)).toBe(expected);
  });

  it.each([
    [undefined, "a", false],
    [undefined, "!a", true],
  ])("labels %j, selector %j -> %s", (labels, text, expected) => {
    expect(matchesLabels(parseLabelSelector(text), labels)).toBe(expected);
  });
});

describe("selectorFromLabelSelector", () => {
  it.each<[LabelSelector | null | undefined, string]>([
    [null, "nothing"],
    [undefined, "nothing"],
    [{}, "everything"],
    [{ matchLabels: {}, matchExpressions: [] }, "everything"],
  ])("%j selects %s", (ls, kind) => {
    expect(selectorFromLabelSelector(ls).kind).toBe(kind);
  });

  it.each<[LabelSelector, string]>([
    [{ matchExpressions: [{ key: "a", operator: "Foo" as "In" }] }, `"Foo" is not a valid pod selector operator`],
    [
      { matchExpressions: [{ key: "a", operator: "In", values: [] }] },
      "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty",
    ],
    [
      { matchExpressions: [{ key: "a", operator: "Exists", values: ["x"] }] },
      `values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist`,
    ],
  ])("%j throws %j", (ls, message) => {
    expect(() => selectorFromLabelSelector(ls)).toThrow(new SelectorError(message));
  });

  it("matches like the equivalent string", () => {
    const sel = selectorFromLabelSelector({
      matchLabels: { name: "simple-daemon" },
      matchExpressions: [{ key: "type", operator: "NotIn", values: ["test"] }],
    });
    expect(matchesLabels(sel, { name: "simple-daemon", type: "production" })).toBe(true);
    expect(matchesLabels(sel, { name: "simple-daemon", type: "test" })).toBe(false);
    expect(matchesLabels(sel, { name: "simple-daemon" })).toBe(true);
    expect(matchesLabels(selectorFromLabelSelector(null), {})).toBe(false);
  });
});

describe("formatLabelSelector", () => {
  const cases: [LabelSelector | null, string][] = [
    [{ matchLabels: { app: "x" } }, "app=x"],
    [
      { matchLabels: { app: "x" }, matchExpressions: [{ key: "tier", operator: "In", values: ["b", "a"] }] },
      "app=x,tier in (a,b)",
    ],
    [{ matchLabels: { z: "1", a: "2" } }, "a=2,z=1"],
    [
      {
        matchExpressions: [
          { key: "gpu", operator: "Exists" },
          { key: "arm", operator: "DoesNotExist" },
          { key: "env", operator: "NotIn", values: ["dev"] },
        ],
      },
      "!arm,env notin (dev),gpu",
    ],
    [{}, "<none>"],
    [null, "<none>"],
    [{ matchExpressions: [{ key: "a", operator: "In", values: [] }] }, "<error>"],
  ];

  it.each(cases)("%j -> %j", (ls, text) => {
    expect(formatLabelSelector(ls)).toBe(text);
  });

  it.each(cases.filter(([, text]) => !text.startsWith("<")))("round-trips %j through the string grammar", (ls) => {
    const structured = selectorFromLabelSelector(ls);
    const reparsed = parseLabelSelector(formatLabelSelector(ls));
    expect(formatSelector(reparsed)).toBe(formatSelector(structured));
    for (const labels of <Labels[]>[{}, { app: "x" }, { app: "x", tier: "a" }, { gpu: "1", env: "prod" }, { a: "2", z: "1" }, { arm: "", gpu: "" }]) {
      expect(matchesLabels(reparsed, labels)).toBe(matchesLabels(structured, labels));
    }
  });
});

describe("validateLabelSelector", () => {
  const p = "spec.selector";
  it.each<[unknown, { field: string; type: string; message: string }[]]>([
    [{ matchLabels: { app: "x" }, matchExpressions: [{ key: "tier", operator: "In", values: ["a"] }] }, []],
    [null, []],
    [
      { matchExpressions: [{ key: "tier", operator: "Foo", values: ["a"] }] },
      [{ field: "spec.selector.matchExpressions[0].operator", type: "FieldValueInvalid", message: `Invalid value: "Foo": not a valid selector operator` }],
    ],
    [
      { matchExpressions: [{ key: "tier", operator: "In" }] },
      [
        {
          field: "spec.selector.matchExpressions[0].values",
          type: "FieldValueRequired",
          message: "Required value: must be specified when `operator` is 'In' or 'NotIn'",
        },
      ],
    ],
    [
      { matchExpressions: [{ key: "tier", operator: "Exists", values: ["a"] }] },
      [
        {
          field: "spec.selector.matchExpressions[0].values",
          type: "FieldValueForbidden",
          message: "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        },
      ],
    ],
  ])("%j", (ls, errors) => {
    expect(validateLabelSelector(ls, p)).toEqual(errors);
  });

  it.each([
    [{ matchLabels: { "bad key": "x" } }, "spec.selector.matchLabels", `Invalid value: "bad key": name part must consist`],
    [{ matchLabels: { app: "bad value" } }, "spec.selector.matchLabels", `Invalid value: "bad value": a valid label must be`],
    [{ matchExpressions: [{ key: "a/b/c", operator: "Exists" }] }, "spec.selector.matchExpressions[0].key", `Invalid value: "a/b/c": a qualified name`],
    [{ matchExpressions: [{ key: "a", operator: "In", values: ["ok", "not ok"] }] }, "spec.selector.matchExpressions[0].values[1]", `Invalid value: "not ok"`],
  ])("%j names %s", (ls, field, messageStart) => {
    const errs = validateLabelSelector(ls, p);
    expect(errs).toHaveLength(1);
    expect(errs[0].field).toBe(field);
    expect(errs[0].message.startsWith(messageStart)).toBe(true);
  });
});
