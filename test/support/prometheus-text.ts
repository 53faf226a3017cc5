/**
 * A strict parser for the Prometheus text exposition format (0.0.4), for tests: it throws on
 * anything a Prometheus server would reject or that the format forbids (a sample before its
 * family's TYPE, a family declared twice or split, a bad name, escape or value, a duplicate
 * series, histogram buckets out of order or not ending in `+Inf` = `_count`).
 *
 * @example
 * const scrape = parsePrometheusText(text);
 * scrape.value("kube_daemonset_status_number_ready", { namespace: "default", daemonset: "web" }); // 3
 */

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParsedFamily {
  name: string;
  type: string;
  help: string;
  samples: ParsedSample[];
}

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const types = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);

function parseValue(text: string, line: number): number {
  if (text === "+Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  if (text === "NaN") return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`line ${line}: bad value ${JSON.stringify(text)}`);
  return Number(text);
}

/** `{a="x",b="y\"z"}` at the start of `text`: the labels and the rest of the line. */
function parseLabels(text: string, line: number): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let i = 1;
  while (text[i] !== "}") {
    const eq = text.indexOf("=", i);
    if (eq < 0) throw new Error(`line ${line}: label without =`);
    const name = text.slice(i, eq);
    if (!labelName.test(name)) throw new Error(`line ${line}: bad label name ${JSON.stringify(name)}`);
    if (name in labels) throw new Error(`line ${line}: label ${name} twice`);
    if (text[eq + 1] !== '"') throw new Error(`line ${line}: label value of ${name} not quoted`);
    let value = "";
    let j = eq + 2;
    for (; j < text.length && text[j] !== '"'; j++) {
      if (text[j] === "\n") throw new Error(`line ${line}: raw newline in a label value`);
      if (text[j] !== "\\") {
        value += text[j];
        continue;
      }
      const next = text[++j];
      if (next === "n") value += "\n";
      else if (next === "\\" || next === '"') value += next;
      else throw new Error(`line ${line}: bad escape \\${next} in label ${name}`);
    }
    if (text[j] !== '"') throw new Error(`line ${line}: unterminated label value of ${name}`);
    labels[name] = value;
    i = j + 1;
    if (text[i] === ",") i++;
    else if (text[i] !== "}") throw new Error(`line ${line}: expected , or } after label ${name}`);
  }
  return { labels, rest: text.slice(i + 1) };
}

/** The family a sample belongs to: its own name, or a histogram's without `_bucket`/`_sum`/`_count`. */
function familyOf(name: string, families: Map<string, ParsedFamily>): ParsedFamily | undefined {
  if (families.has(name)) return families.get(name);
  const base = name.replace(/_(bucket|sum|count)$/, "");
  const family = families.get(base);
  return family && (family.type === "histogram" || family.type === "summary") ? family : undefined;
}

function checkHistograms(family: ParsedFamily): void {
  const series = new Map<string, { buckets: [number, number][]; count?: number }>();
  for (const s of family.samples) {
    const { le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const entry = series.get(key) ?? { buckets: [] };
    series.set(key, entry);
    if (s.name.endsWith("_bucket")) {
      if (le === undefined) throw new Error(`${s.name}: bucket without le`);
      entry.buckets.push([parseValue(le, 0), s.value]);
    } else if (s.name.endsWith("_count")) entry.count = s.value;
  }
  for (const [key, { buckets, count }] of series) {
    for (let i = 1; i < buckets.length; i++) {
      if (!(buckets[i]![0] > buckets[i - 1]![0]) || buckets[i]![1] < buckets[i - 1]![1]) throw new Error(`${family.name}${key}: buckets not increasing`);
    }
    const last = buckets[buckets.length - 1];
    if (!last || last[0] !== Infinity || last[1] !== count) throw new Error(`${family.name}${key}: the +Inf bucket must equal _count`);
  }
}

export class PrometheusScrape {
  constructor(readonly families: Map<string, ParsedFamily>) {}

  family(name: string): ParsedFamily {
    const found = this.families.get(name);
    if (!found) throw new Error(`no family ${name}`);
    return found;
  }

  /** Samples of the family (or its histogram series `name`) whose labels include `match`. */
  samples(name: string, match: Record<string, string> = {}): ParsedSample[] {
    const family = familyOf(name, this.families);
    if (!family) throw new Error(`no family for ${name}`);
    return family.samples.filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v));
  }

  /** The value of the one sample matching; throws unless exactly one matches. */
  value(name: string, match: Record<string, string> = {}): number {
    const found = this.samples(name, match);
    if (found.length !== 1) throw new Error(`${name}${JSON.stringify(match)}: ${found.length} samples match`);
    return found[0]!.value;
  }
}

export function parsePrometheusText(text: string): PrometheusScrape {
  if (!text.endsWith("\n")) throw new Error("the exposition must end with a newline");
  const families = new Map<string, ParsedFamily>();
  const seriesSeen = new Set<string>();
  let current: ParsedFamily | undefined;
  text
    .slice(0, -1)
    .split("\n")
    .forEach((raw, index) => {
      const line = index + 1;
      if (raw.trim() === "") return;
      const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(raw);
      if (meta) {
        const [, what, name = "", rest = ""] = meta;
        if (!metricName.test(name)) throw new Error(`line ${line}: bad metric name ${name}`);
        let family = families.get(name);
        if (family && family !== current) throw new Error(`line ${line}: family ${name} declared again after other families`);
        if (!family) {
          family = { name, type: "untyped", help: "", samples: [] };
          families.set(name, family);
        }
        if (family.samples.length) throw new Error(`line ${line}: ${what} for ${name} after its samples`);
        if (what === "TYPE") {
          if (!types.has(rest)) throw new Error(`line ${line}: unknown type ${rest}`);
          family.type = rest;
        } else family.help = rest.replace(/\\n/g, "\n").replace(/\\\\/g, "\\");
        current = family;
        return;
      }
      if (raw.startsWith("#")) return;
      const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(raw);
      if (!nameMatch) throw new Error(`line ${line}: no metric name in ${JSON.stringify(raw)}`);
      const name = nameMatch[0];
      let rest = raw.slice(name.length);
      let labels: Record<string, string> = {};
      if (rest.startsWith("{")) ({ labels, rest } = parseLabels(rest, line));
      const parts = rest.trim().split(/ +/);
      if (!rest.startsWith(" ") || parts.length < 1 || parts.length > 2) throw new Error(`line ${line}: expected a value (and optional timestamp) after ${name}`);
      const value = parseValue(parts[0]!, line);
      const family = familyOf(name, families);
      if (!family) throw new Error(`line ${line}: sample ${name} without a TYPE`);
      if (family !== current) throw new Error(`line ${line}: sample ${name} outside its family's block`);
      const series = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
      if (seriesSeen.has(series)) throw new Error(`line ${line}: duplicate series ${series}`);
      seriesSeen.add(series);
      family.samples.push({ name, labels, value });
    });
  for (const family of families.values()) if (family.type === "histogram") checkHistograms(family);
  return new PrometheusScrape(families);
}
