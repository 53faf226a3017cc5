/**
 * @module
 * A kind's rules, as the apiserver's registry strategies hold them (pkg/registry/.../strategy.go):
 * how a body in some API version becomes the stored object, what create and update may change,
 * how it is validated, which fields selectors see, how it prints as a Table, and what happens
 * after it changes. The REST handlers are the same for every kind; everything that differs is here.
 */
import type { FieldError } from "../../resources/field-errors.ts";
import type { ResourceInfo } from "../../resources/registry.ts";
import type { KubeObject } from "../../resources/types.ts";
import type { AppContext } from "../context.ts";
import type { Write } from "../../store/writes.ts";
import type { Table } from "./table/types.ts";

export type FieldValidation = "Strict" | "Warn" | "Ignore";

export interface Decoded<T> {
  object: T;
  /** Unknown fields found (`spec.foo`); the handler rejects or warns per fieldValidation. */
  unknownFields: string[];
  /** Type errors found while decoding (wrong JSON types): 422 Invalid. */
  errors: FieldError[];
}

export type ChangeType = "created" | "updated" | "deleted";

export interface Change<T> {
  type: ChangeType;
  object: T;
  old?: T;
}

export interface KindStrategy<T extends KubeObject = KubeObject> {
  info: ResourceInfo;
  /** Turns a request body in `apiVersion` into the internal form: pruning, defaults, conversion. */
  decode(body: Record<string, unknown>, apiVersion: string): Decoded<T>;
  /** Serves the internal form in `apiVersion`. */
  encode(object: T, apiVersion: string): KubeObject;
  /** Fills server-owned fields on create (uid, timestamps, generation, status reset). */
  prepareForCreate(object: T, now: number): T;
  /** Merges an update with what is stored (generation bumps, status kept). */
  prepareForUpdate(object: T, old: T, now: number): T;
  /** For `/status`: keeps everything but status from `old`. */
  prepareForStatusUpdate?(object: T, old: T, now: number): T;
  validate(object: T): FieldError[];
  validateUpdate(object: T, old: T): FieldError[];
  validateStatusUpdate?(object: T, old: T): FieldError[];
  /** Field values a fieldSelector can filter on, besides metadata.name and metadata.namespace. */
  selectableFields?(object: T): Record<string, string>;
  /** Columns and cells; the handler adds list metadata and each row's object. */
  table(objects: readonly T[], now: number): Omit<Table, "metadata">;
  /** How a DELETE goes: at once, or graceful (the returned object carries deletionTimestamp). */
  beginDelete?(object: T, options: DeleteOptions, now: number, c: AppContext): Promise<T | undefined> | T | undefined;
  /** Extra writes committed in the same transaction as a delete (credentials, dependents). */
  deleteWrites?(object: T, c: AppContext): Promise<Write[]> | Write[];
  /** Objects of this kind expire this long after creation (Events). */
  ttlMs?: number;
  /** Runs after a committed change (wake controllers); must not throw into the response. */
  afterChange?(c: AppContext, change: Change<T>, options?: DeleteOptions): Promise<void> | void;
}

/**
 * The longest deletion grace period (about 31 years): a longer one is refused in DeleteOptions,
 * and a pod's own terminationGracePeriodSeconds is held to it, so a deadline is always a date.
 */
export const maxGraceSeconds = 1_000_000_000;

export interface DeleteOptions {
  propagationPolicy?: "Background" | "Foreground" | "Orphan";
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: string[];
}
