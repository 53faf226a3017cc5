/**
 * @module
 * Required node affinity and `nodeSelector`, as component-helpers' `nodeaffinity.go`
 * (`LazyErrorNodeSelector`, `GetRequiredNodeAffinity`) evaluates them: terms are ORed, a term
 * ANDs its matchExpressions (node labels) and matchFields (`metadata.name`), an empty term
 * selects nothing, and a term that cannot be parsed is skipped while the others still count.
 *
 * @example
 * matchNodeSelectorTerms([{ matchExpressions: [{ key: "arch", operator: "In", values: ["arm64"] }] }], node)
 * // { matches: true, errors: [] } when node.metadata.labels.arch === "arm64"
 */

import {
  aggregateMessage,
  matchesLabels,
  matchesRequirement,
  requirementErrors,
  selectorFromSet,
  type Operator,
  type Requirement,
} from "../resources/label-selector.ts";
import type { Labels, Node, NodeSelectorRequirement, NodeSelectorTerm, PodSpec } from "../resources/types.ts";

export interface NodeSelectorMatch {
  matches: boolean;
  /**
   * Parse errors of the invalid terms, worded as Kubernetes words them
   * (`nodeSelectorTerms[0].matchExpressions[0].values[0]: Invalid value: "1.5": ...`).
   * Unlike LazyErrorNodeSelector, which reports them only when no term matched, they are
   * always listed: they describe the DaemonSet, not the node, and deserve a Warning either way.
   */
  errors: string[];
}

interface ParsedTerm {
  labels?: Requirement[];
  fields?: { key: string; operator: "In" | "NotIn"; value: string }[];
  errors: string[];
}

const nodeOperators: Record<string, Operator> = { In: "in", NotIn: "notin", Exists: "exists", DoesNotExist: "!", Gt: "gt", Lt: "lt" };
const quoteAll = (vals: readonly string[]): string => vals.map((v) => JSON.stringify(v)).join(", ");
const goStrings = (vals: readonly string[]): string => `[]string{${quoteAll(vals)}}`;

/** nodeSelectorRequirementsAsSelector: label requirements of one term. */
function parseExpressions(exprs: readonly NodeSelectorRequirement[], path: string): Pick<ParsedTerm, "labels" | "errors"> {
  const labels: Requirement[] = [];
  const errors: string[] = [];
  exprs.forEach((expr, i) => {
    const p = `${path}[${i}]`;
    const op = Object.hasOwn(nodeOperators, expr.operator) ? nodeOperators[expr.operator] : undefined;
    if (!op) {
      errors.push(`${p}.operator: Unsupported value: ${JSON.stringify(String(expr.operator))}: supported values: ${quoteAll(Object.keys(nodeOperators))}`);
      return;
    }
    const values = expr.values ?? [];
    // One NewRequirement error is an aggregate; Flatten later makes each message its own entry.
    const errs = [...new Set(requirementErrors(expr.key, op, values, p))];
    if (errs.length) errors.push(...errs);
    else labels.push({ key: expr.key, operator: op, values: [...values] });
  });
  return { labels, errors };
}

/** nodeSelectorRequirementsAsFieldSelector: only In/NotIn with exactly one value. */
function parseFields(exprs: readonly NodeSelectorRequirement[], path: string): Pick<ParsedTerm, "fields" | "errors"> {
  const fields: NonNullable<ParsedTerm["fields"]> = [];
  const errors: string[] = [];
  exprs.forEach((expr, i) => {
    const p = `${path}[${i}]`;
    const values = expr.values ?? [];
    if (expr.operator !== "In" && expr.operator !== "NotIn") {
      errors.push(`${p}.operator: Unsupported value: ${JSON.stringify(String(expr.operator))}: supported values: "In", "NotIn"`);
    } else if (values.length !== 1) {
      errors.push(`${p}.values: Invalid value: ${goStrings(values)}: must have one element`);
    } else {
      fields.push({ key: expr.key, operator: expr.operator, value: values[0] });
    }
  });
  return { fields, errors };
}

function parseTerm(term: NodeSelectorTerm, path: string): ParsedTerm {
  const parsed: ParsedTerm = { errors: [] };
  if (term.matchExpressions?.length) {
    const { labels, errors } = parseExpressions(term.matchExpressions, `${path}.matchExpressions`);
    parsed.labels = labels;
    parsed.errors.push(...errors);
  }
  if (term.matchFields?.length) {
    const { fields, errors } = parseFields(term.matchFields, `${path}.matchFields`);
    parsed.fields = fields;
    parsed.errors.push(...errors);
  }
  return parsed;
}

/** The fields a node selector term can see; a node without a name exposes none. */
const nodeFields = (node: Node): Record<string, string> => (node.metadata.name ? { "metadata.name": node.metadata.name } : {});

function matchesTerm(term: ParsedTerm, labels: Labels, fields: Record<string, string>): boolean {
  if (term.labels && !term.labels.every((r) => matchesRequirement(r, labels))) return false;
  // nodeSelectorTerm.match skips matchFields entirely when the node has no fields.
  if (term.fields && Object.keys(fields).length > 0) {
    return term.fields.every((f) => {
      const actual = Object.hasOwn(fields, f.key) ? fields[f.key] : "";
      return f.operator === "In" ? actual === f.value : actual !== f.value;
    });
  }
  return true;
}

/**
 * LazyErrorNodeSelector.Match over `requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`.
 * `nil`, `[]` and `[{}]` match no node.
 */
export function matchNodeSelectorTerms(terms: readonly NodeSelectorTerm[] | undefined | null, node: Node): NodeSelectorMatch {
  const parsed = (terms ?? []).flatMap((term, i) =>
    term.matchExpressions?.length || term.matchFields?.length ? [parseTerm(term, `nodeSelectorTerms[${i}]`)] : [],
  );
  const labels = node.metadata.labels ?? {};
  const fields = nodeFields(node);
  return {
    matches: parsed.some((t) => t.errors.length === 0 && matchesTerm(t, labels, fields)),
    errors: parsed.flatMap((t) => t.errors),
  };
}

/** `spec.nodeSelector`: every pair present and equal on the node; empty = no constraint. */
export const matchesNodeSelector = (nodeSelector: Labels | undefined, node: Node): boolean =>
  matchesLabels(selectorFromSet(nodeSelector), node.metadata.labels);

/** GetRequiredNodeAffinity(pod).Match: nodeSelector AND required node affinity. */
export function matchRequiredNodeAffinity(spec: Pick<PodSpec, "nodeSelector" | "affinity">, node: Node): NodeSelectorMatch {
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const affinity = required ? matchNodeSelectorTerms(required.nodeSelectorTerms, node) : { matches: true, errors: [] };
  return { matches: matchesNodeSelector(spec.nodeSelector, node) && affinity.matches, errors: affinity.errors };
}

/** The errors of an invalid node affinity as one message, as Kubernetes would print the aggregate. */
export const formatNodeSelectorErrors = (errors: readonly string[]): string => (errors.length ? aggregateMessage(errors) : "");
