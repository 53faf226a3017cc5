/**
 * @module
 * The decode step every kind shares: structural validation against the kind's schema in the
 * body's version (unknown fields, type errors, pruning), then the kind's own conversion.
 */
import { ApiError } from "../../errors.ts";
import { schemaNameFor, validateStructure } from "../../../resources/schema/index.ts";
import type { KubeObject } from "../../../resources/types.ts";
import type { Decoded } from "../strategy.ts";

export function decodeWith<T extends KubeObject>(body: Record<string, unknown>, apiVersion: string, kind: string, convert: (pruned: Record<string, unknown>) => T): Decoded<T> {
  const schemaName = schemaNameFor(apiVersion, kind);
  if (!schemaName) throw ApiError.badRequest(`no kind "${kind}" is registered for version "${apiVersion}"`);
  const { unknownFields, errors, pruned } = validateStructure(body, schemaName);
  // A body with type errors is not converted: the handler answers 422 before using it.
  if (errors.length) return { object: pruned as T, unknownFields, errors };
  return { object: convert(pruned as Record<string, unknown>), unknownFields, errors };
}

/** For kinds with one served version: the body as it is, apiVersion and kind normalised. */
export const asIs =
  <T extends KubeObject>(apiVersion: string, kind: string) =>
  (pruned: Record<string, unknown>): T =>
    ({ ...pruned, apiVersion, kind }) as T;
