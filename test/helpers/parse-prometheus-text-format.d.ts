// The package ships no types: its one export, typed where it is used (prometheusText.ts).
declare module 'parse-prometheus-text-format' {
  const parsePrometheusTextFormat: (text: string) => unknown[];
  export default parsePrometheusTextFormat;
}
