/**
 * Writes a small Backblaze-format CSV made by this project's own code (no shared data): healthy
 * drives with flat counters and failing drives whose reallocated/pending counters climb during
 * their last weeks. Deterministic for a given seed.
 */
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

export interface SyntheticOptions {
  healthy: number;
  failing: number;
  days: number;
  seed: number;
  gzip?: boolean;
  /** drive model column (default ST4000DM000) */
  model?: string;
  /** keep only each drive's last day (a one-day snapshot file) */
  lastDayOnly?: boolean;
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

export function syntheticBackblazeCsv(o: SyntheticOptions): string {
  const r = rng(o.seed);
  const lines = ['date,serial_number,model,capacity_bytes,failure,smart_5_normalized,smart_5_raw,smart_9_raw,smart_187_raw,smart_194_raw,smart_197_raw,smart_198_raw'];
  const start = Date.UTC(2021, 0, 1);
  const drives = [
    ...Array.from({ length: o.healthy }, (_, i) => ({ serial: `H${o.seed}X${i}`, failDay: -1 })),
    ...Array.from({ length: o.failing }, (_, i) => ({ serial: `F${o.seed}X${i}`, failDay: Math.floor(o.days / 2 + r() * (o.days / 2 - 1)) })),
  ];
  for (let d = 0; d < o.days; d++) {
    const date = new Date(start + d * 86_400_000).toISOString().slice(0, 10);
    for (const drv of drives) {
      if (drv.failDay >= 0 && d > drv.failDay) continue;
      const toFail = drv.failDay >= 0 ? drv.failDay - d : Infinity;
      const sick = toFail <= 20 && r() < 0.9;
      const realloc = sick ? Math.round((21 - toFail) * 3 * r()) : r() < 0.02 ? 1 : 0;
      const pending = sick ? Math.round((21 - toFail) * r()) : 0;
      if (o.lastDayOnly && d !== (drv.failDay >= 0 ? drv.failDay : o.days - 1)) continue;
      lines.push([date, drv.serial, o.model ?? 'ST4000DM000', 4000787030016, toFail === 0 ? 1 : 0, 100 - Math.min(realloc, 99), realloc, 20000 + d * 24, sick && r() < 0.5 ? 1 : 0, 25 + Math.round(r() * 5), pending, pending].join(','));
    }
  }
  return lines.join('\n') + '\n';
}

export function writeSyntheticBackblaze(path: string, o: SyntheticOptions): void {
  const text = syntheticBackblazeCsv(o);
  writeFileSync(path, o.gzip ? gzipSync(text) : text);
}
