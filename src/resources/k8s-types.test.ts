import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { k8sTypesFile, renderK8sTypes } from "./schema/k8s-types-file.ts";
import { allSchemas } from "./schema/index.ts";
import { reachableFrom, renderTypes, typeNameOf } from "./schema/typescript.ts";

describe("the object types are rendered from the schema data", () => {
  it("k8s-types.ts is what `npm run gen:types` writes from the current schemas", () => {
    expect(readFileSync(k8sTypesFile, "utf8"), "stale: run `npm run gen:types`").toBe(renderK8sTypes());
  });

  it.each([
    ["a required field is required, others optional", { A: { type: "object", properties: { x: { type: "string" }, y: { type: "integer" } }, required: ["x"] } }, "export interface A {\n  x: string;\n  y?: number;\n}\n"],
    ["a ref through allOf names the type", { A: { type: "object", properties: { b: { allOf: [{ $ref: "#/components/schemas/io.B" }] } } }, "io.B": { type: "string", enum: ["p", "q"] } }, 'export interface A {\n  b?: B;\n}\n\nexport type B = "p" | "q";\n'],
    ["maps, lists and int-or-string", { A: { type: "object", properties: { m: { type: "object", additionalProperties: { type: "string" } }, l: { type: "array", items: { type: "boolean" } }, i: { "x-kubernetes-int-or-string": true } } } }, "export interface A {\n  i?: number | string;\n  l?: boolean[];\n  m?: Record<string, string>;\n}\n"],
    ["odd keys are quoted", { A: { type: "object", properties: { "x-y": { type: "string" } } } }, 'export interface A {\n  "x-y"?: string;\n}\n'],
  ] as const)("%s", (_name, schemas, expected) => {
    expect(renderTypes(schemas as never, ["A"], {})).toBe(expected);
  });

  it("the stored form makes fields required and adds internal ones", () => {
    const schemas = { A: { type: "object" as const, properties: { spec: { type: "string" as const } } } };
    expect(renderTypes(schemas, ["A"], { required: { A: ["spec"] }, extra: { A: ["internal?: number;"] } })).toBe("export interface A {\n  spec: string;\n  internal?: number;\n}\n");
  });

  it("no two stored schemas share a type name", () => {
    const names = reachableFrom(allSchemas, ["io.k8s.api.apps.v1.DaemonSet", "io.k8s.api.core.v1.Pod", "io.k8s.api.core.v1.Node"]).map(typeNameOf);
    expect(new Set(names).size).toBe(names.length);
  });
});
