import { describe, expect, it } from "vitest";
import { parsePrometheusText } from "../../test/support/prometheus-text.ts";
import { prometheusLabels, renderExposition } from "./exposition.ts";

describe("renderExposition", () => {
  it("writes HELP, TYPE and samples with escaped label values, and the strict parser reads them back", () => {
    const text = renderExposition([
      { name: "a_total", help: "A\\B\nC.", type: "counter", samples: [{ labels: { x: 'q"\\\n' }, value: 3 }] },
      { name: "b", help: "Empty.", type: "gauge", samples: [] },
      { name: "c", help: "Odd values.", type: "gauge", samples: [{ labels: { k: "inf" }, value: Infinity }, { labels: { k: "nan" }, value: NaN }] },
    ]);
    expect(text).toBe('# HELP a_total A\\\\B\\nC.\n# TYPE a_total counter\na_total{x="q\\"\\\\\\n"} 3\n# HELP b Empty.\n# TYPE b gauge\n# HELP c Odd values.\n# TYPE c gauge\nc{k="inf"} +Inf\nc{k="nan"} NaN\n');
    const parsed = parsePrometheusText(text);
    expect(parsed.value("a_total", { x: 'q"\\\n' })).toBe(3);
    expect(parsed.family("a_total").help).toBe("A\\B\nC.");
    expect(parsed.family("b").samples).toEqual([]);
    expect(parsed.value("c", { k: "inf" })).toBe(Infinity);
  });
});

describe("prometheusLabels", () => {
  it("sanitizes keys as kube-state-metrics does, and suffixes the ones that collide", () => {
    expect(prometheusLabels("label", { "kubernetes.io/hostname": "n1", site: "a" })).toEqual({ label_kubernetes_io_hostname: "n1", label_site: "a" });
    expect(prometheusLabels("label", { "a-b": "1", "a.b": "2" })).toEqual({ label_a_b_conflict1: "1", label_a_b_conflict2: "2" });
  });
});

describe("the strict parser", () => {
  it.each([
    ["a sample without TYPE", "x 1\n"],
    ["a bad value", "# TYPE x gauge\nx one\n"],
    ["a duplicate series", '# TYPE x gauge\nx{a="1"} 1\nx{a="1"} 2\n'],
    ["a family split in two", "# TYPE x gauge\nx 1\n# TYPE y gauge\ny 1\n# TYPE x gauge\n"],
    ["a bad escape", '# TYPE x gauge\nx{a="\\t"} 1\n'],
    ["a histogram whose +Inf bucket is not its count", '# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 3\n'],
    ["no final newline", "# TYPE x gauge\nx 1"],
  ])("rejects %s", (_name, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });
});
