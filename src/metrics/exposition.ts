/**
 * @module
 * The Prometheus text exposition format (version 0.0.4), written: one `# HELP` and `# TYPE` per
 * family, then its samples, label values escaped (`\\`, `"`, newline), numbers as Go prints them
 * (`+Inf`, `NaN`). Families with no samples still print their HELP and TYPE, as client_golang does
 * not, so a scrape always names every metric this control plane has.
 *
 * @example
 * renderExposition([{ name: "up", help: "Whether it is up.", type: "gauge", samples: [{ labels: { job: "x" }, value: 1 }] }]);
 * // # HELP up Whether it is up.\n# TYPE up gauge\nup{job="x"} 1\n
 */

export type MetricType = "counter" | "gauge" | "histogram";

export interface Sample {
  /** Beside the family name: `_bucket`, `_sum`, `_count` for histograms. */
  suffix?: string;
  labels?: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: MetricType;
  samples: Sample[];
}

export const contentType = "text/plain; version=0.0.4; charset=utf-8";

const escapeLabel = (value: string) => value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const escapeHelp = (text: string) => text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

function formatLabels(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {});
  return entries.length ? `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(",")}}` : "";
}

export function renderExposition(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) lines.push(`${family.name}${sample.suffix ?? ""}${formatLabels(sample.labels)} ${formatValue(sample.value)}`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * A Kubernetes label key as a Prometheus label name, as kube-state-metrics makes them: `label_`
 * plus the key with every character outside `[a-zA-Z0-9_]` turned into `_`. Keys that end up the
 * same (`a.b`, `a-b`) are all suffixed `_conflict1`, `_conflict2`… in key order, as
 * kube-state-metrics resolves conflicts.
 */
export function prometheusLabels(prefix: string, map: Record<string, string> | undefined): Record<string, string> {
  const byName = new Map<string, string[]>();
  for (const key of Object.keys(map ?? {}).sort()) {
    const name = `${prefix}_${key.replace(/[^a-zA-Z0-9_]/g, "_")}`;
    byName.set(name, [...(byName.get(name) ?? []), key]);
  }
  const out: Record<string, string> = {};
  for (const [name, keys] of byName) {
    keys.forEach((key, i) => {
      out[keys.length > 1 ? `${name}_conflict${i + 1}` : name] = map![key]!;
    });
  }
  return out;
}
