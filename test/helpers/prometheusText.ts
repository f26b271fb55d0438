/**
 * Prometheus text format parsed by a real parser (parse-prometheus-text-format: a port of the official Python
 * client's parser, prom2json-shaped output), so the exposition is checked by someone else's reading of the format.
 */
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

export interface MetricFamily {
  name: string;
  help: string;
  type: string;
  metrics: { labels?: Record<string, string>; value?: string; buckets?: Record<string, string>; count?: string; sum?: string }[];
}

export function parseExposition(text: string): Map<string, MetricFamily> {
  const families = parsePrometheusTextFormat(text) as MetricFamily[];
  return new Map(families.map((f) => [f.name, f]));
}

/** The value of the sample of `family` whose labels include `labels`, as a number; undefined if there is none. */
export function sampleValue(families: Map<string, MetricFamily>, family: string, labels: Record<string, string> = {}): number | undefined {
  const m = families.get(family)?.metrics.find((s) => Object.entries(labels).every(([k, v]) => s.labels?.[k] === v));
  return m?.value === undefined ? undefined : Number(m.value);
}
