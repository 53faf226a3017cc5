/**
 * @module
 * Field errors as apimachinery's `field.ErrorList`: each names the field path and the reason,
 * and the API turns a list of them into one `422 Invalid` Status whose `details.causes` kubectl
 * prints as `* <field>: <message>`.
 *
 * @example
 * required("spec.selector") // { type: "FieldValueRequired", field: "spec.selector", message: "Required value" }
 */

export type FieldErrorType =
  | "FieldValueRequired"
  | "FieldValueInvalid"
  | "FieldValueNotSupported"
  | "FieldValueForbidden"
  | "FieldValueDuplicate"
  | "FieldValueTooLong"
  | "FieldValueTooMany"
  | "FieldValueTypeInvalid"
  | "FieldValueNotFound";

export interface FieldError {
  type: FieldErrorType;
  /** Dotted path with list indexes, as Kubernetes prints it: `spec.template.spec.containers[0].image`. */
  field: string;
  /** The full message kubectl prints after `field: `, e.g. `Invalid value: "x": must be no more than 63 characters`. */
  message: string;
}

const show = (value: unknown): string => (typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? String(value));

export const required = (field: string, detail?: string): FieldError => ({
  type: "FieldValueRequired",
  field,
  message: detail ? `Required value: ${detail}` : "Required value",
});

export const invalid = (field: string, value: unknown, detail: string): FieldError => ({
  type: "FieldValueInvalid",
  field,
  message: `Invalid value: ${show(value)}: ${detail}`,
});

export const notSupported = (field: string, value: unknown, supported: readonly string[]): FieldError => ({
  type: "FieldValueNotSupported",
  field,
  message: `Unsupported value: ${show(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(", ")}`,
});

export const forbidden = (field: string, detail: string): FieldError => ({
  type: "FieldValueForbidden",
  field,
  message: `Forbidden: ${detail}`,
});

export const duplicate = (field: string, value: unknown): FieldError => ({
  type: "FieldValueDuplicate",
  field,
  message: `Duplicate value: ${show(value)}`,
});

export const tooLong = (field: string, max: number): FieldError => ({
  type: "FieldValueTooLong",
  field,
  message: `Too long: may not be more than ${max} bytes`,
});

export const typeInvalid = (field: string, value: unknown, detail: string): FieldError => ({
  type: "FieldValueTypeInvalid",
  field,
  message: `Invalid value: ${show(value)}: ${detail}`,
});

/** Joins a parent path and a child name or index the way field.Path does. */
export const child = (parent: string, name: string | number): string =>
  typeof name === "number" ? `${parent}[${name}]` : parent ? `${parent}.${name}` : name;

/** `metadata.labels[app]`-style key child, for map entries. */
export const key = (parent: string, k: string): string => `${parent}[${k}]`;
