/**
 * How long an ingest holds the event loop, by WAL checkpoint size. A commit that fills the WAL past
 * `wal_autocheckpoint` pages also copies them into the database and syncs it, inside the commit, on the event
 * loop. The store sets 200 (daemon/store/store.ts); SQLite's default 1,000 is the baseline, measured in the same run,
 * alternating, on fresh databases.
 *
 *   npx tsx bench/ingestCheckpoint.bench.ts [--ingests 3000] [--rounds 2]
 *
 * Each ingest is one sample of about 10 kB (real smartctl output from ../shared when present, else a padded test
 * document) into one of 64 devices, committed with synchronous=FULL as the daemon does.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../daemon/store/store.js';
import { stringifyJsonExact } from '../lib/util/json.js';
import { smartctlDoc } from '../test/daemon/helpers/smartctlDocs.js';
import { hasShared, sharedPath } from '../test/helpers/shared.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const INGESTS = arg('ingests', 3000);
const ROUNDS = arg('rounds', 2);
const REAL = 'smartctl/ata_hdd__ST32000644NS__smartctl_exporter-d57026.json';
const raw = hasShared && existsSync(sharedPath(REAL)) ? readFileSync(sharedPath(REAL), 'utf8') : stringifyJsonExact({ ...smartctlDoc({ timeS: 0 }), padding: 'x'.repeat(10_000) });

function measure(pages: number | undefined): { p50: number; p99: number; max: number; over5: number; total: number } {
  const dir = mkdtempSync(join(tmpdir(), 'dp-ckpt-bench-'));
  const store = new Store(join(dir, 'bench.db'));
  // the baseline: SQLite's own default, set on the store's connection as the store sets its own
  if (pages !== undefined) (store as unknown as { db: { pragma(s: string): unknown } }).db.pragma(`wal_autocheckpoint = ${pages}`);
  const ms: number[] = [];
  let t = 1_700_000_000;
  for (let i = 0; i < INGESTS; i++) {
    const a = performance.now();
    store.ingest(`dev-${i % 64}`, [{ time: t++, raw }], Math.floor(Date.now() / 1000));
    ms.push(performance.now() - a);
  }
  store.close();
  rmSync(dir, { recursive: true, force: true });
  const total = ms.reduce((a, b) => a + b, 0);
  ms.sort((a, b) => a - b);
  return { p50: ms[Math.floor(ms.length / 2)]!, p99: ms[Math.floor(ms.length * 0.99)]!, max: ms.at(-1)!, over5: ms.filter((x) => x > 5).length, total };
}

console.log(`ingest of a ${(raw.length / 1000).toFixed(1)} kB sample, ${INGESTS} ingests per run, ${ROUNDS} rounds`);
console.log('checkpoint at    p50 ms  p99 ms  max ms  over 5 ms  total ms');
for (let r = 0; r < ROUNDS; r++) {
  for (const [label, pages] of [['1000 (SQLite)', 1000], ['200 (store)', undefined]] as const) {
    const m = measure(pages);
    console.log(`${label.padEnd(15)} ${m.p50.toFixed(2).padStart(7)} ${m.p99.toFixed(2).padStart(7)} ${m.max.toFixed(2).padStart(7)} ${String(m.over5).padStart(10)} ${m.total.toFixed(0).padStart(9)}`);
  }
}
