/** Seed inputs: the real files in ../shared/data and the project's own generated fixtures. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { stringifyJsonExact } from '../../lib/util/json.js';
import { makeAtaHdd, makeAtaSsd, makeCephDump, makeNvme, makeScsi } from '../fixtures/makeSmartctlFixtures.js';
import { hasShared, sharedDataDir, sharedPath } from '../helpers/sharedPaths.js';

export { hasShared };
export const NO_SHARED = `${sharedDataDir} not found — needs the shared SMART data beside the project`;

const enc = new TextEncoder();

export function filesIn(dir: string, test: (name: string) => boolean): string[] {
  return readdirSync(dir)
    .filter(test)
    .sort()
    .map((f) => join(dir, f));
}

/** The project's generated smartctl documents (every protocol, old and new smartctl versions). */
export function fixtureSmartctlTexts(): string[] {
  return [makeAtaHdd(), makeAtaSsd(), makeNvme({ criticalWarning: 4 }), makeScsi({ version: [7, 1] }), makeScsi({ version: [7, 5] })].map((d) =>
    stringifyJsonExact(d),
  );
}

/** Real smartctl outputs (devices and edge cases), when ../shared is present. */
export function sharedSmartctlTexts(): string[] {
  if (!hasShared) return [];
  const dir = sharedPath('smartctl');
  return [...filesIn(dir, (f) => f.endsWith('.json')), ...filesIn(join(dir, 'edge_cases'), () => true)].map((f) => readFileSync(f, 'utf8'));
}

export function fixtureCephTexts(): string[] {
  const dump = makeCephDump([
    [new Date(Date.UTC(2024, 0, 1)), makeAtaHdd()],
    [new Date(Date.UTC(2024, 0, 2)), { error: 'smartctl failed' }],
  ]);
  return [stringifyJsonExact(dump), stringifyJsonExact({ dev1: makeNvme(), dev2: makeScsi() })];
}

export function sharedCephTexts(): string[] {
  return hasShared ? filesIn(sharedPath('ceph'), (f) => f.endsWith('.json')).map((f) => readFileSync(f, 'utf8')) : [];
}

/**
 * Excerpts of the real Backblaze files: the header and the first `rows` rows of each (gz files: only their first
 * 256 KiB are inflated). Small excerpts keep cases fast; every file's column set is represented.
 */
export function sharedBackblazeExcerpts(rows: number): string[] {
  if (!hasShared) return [];
  return filesIn(sharedPath('backblaze'), (f) => f.endsWith('.csv') || f.endsWith('.csv.gz')).map((f) => {
    let text: string;
    if (f.endsWith('.gz')) {
      const raw = readFileSync(f);
      // A stream cut at 256 KiB of input: inflate what is there (finishFlush keeps the partial output).
      text = gunzipSync(raw.subarray(0, 256 * 1024), { finishFlush: 2 /* Z_SYNC_FLUSH */ }).toString('utf8');
    } else {
      const fd = readFileSync(f);
      text = fd.subarray(0, 256 * 1024).toString('utf8');
    }
    return text.split('\n').slice(0, rows + 1).join('\n') + '\n';
  });
}

/** Ceph's model pickles up to `maxBytes` each, with the kind of object each holds. */
export function sharedPickles(maxBytes: number): { file: string; bytes: Uint8Array; kind: 'svc' | 'scaler' | 'forest' }[] {
  if (!hasShared) return [];
  const out: { file: string; bytes: Uint8Array; kind: 'svc' | 'scaler' | 'forest' }[] = [];
  for (const sub of ['redhat', 'prophetstor']) {
    for (const f of filesIn(sharedPath('ceph-models', sub), (n) => n.endsWith('.pkl'))) {
      if (statSync(f).size > maxBytes) continue;
      const kind = /scaler/.test(f) ? 'scaler' : /predictor/.test(f) ? 'forest' : 'svc';
      out.push({ file: f, bytes: new Uint8Array(readFileSync(f)), kind });
    }
  }
  return out;
}

export function utf8(texts: readonly string[]): Uint8Array[] {
  return texts.map((t) => enc.encode(t));
}

/** Bytes → text the way the readers' callers decode files (Buffer utf8: a BOM is kept, bad bytes become U+FFFD). */
export function asText(input: Uint8Array): string {
  return Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8');
}
