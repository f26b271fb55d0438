/**
 * Property tests: random damage to real and generated smartctl / Ceph documents never crashes the
 * readers. The only exception allowed is SmartParseError; a returned sample must still be
 * serialisable and keep its invariants (finite time, values in range). Shrinking examples for the generated and
 * shared documents; test/fuzz (npm run fuzz) runs the same readers for millions of cases with more mutations.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SmartParseError } from '../../lib/smart/errors.js';
import { readCephDashboardMap, readCephDeviceHealthMap } from '../../lib/smart/readCephDeviceHealth.js';
import { readSmartctlJsonText } from '../../lib/smart/readSmartctlJson.js';
import { sampleToJsonLine } from '../../lib/smart/sampleJson.js';
import type { SmartSample } from '../../lib/smart/types.js';
import { parseJsonExact, stringifyJsonExact, type JsonValue } from '../../lib/util/json.js';
import { REPLACEMENTS, allPaths, containerOf } from '../fuzz/mutate.js';
import { makeAtaHdd, makeAtaSsd, makeCephDump, makeNvme, makeScsi } from '../fixtures/makeSmartctlFixtures.js';
import { describeShared, sharedPath } from '../helpers/shared.js';

type Mutation =
  | { kind: 'flip'; at: number; ch: string }
  | { kind: 'truncate'; at: number }
  | { kind: 'replace'; at: number; with: number }
  | { kind: 'delete'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), ch: fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '0', '9', '-', 'e', '.', ' ', '\\', 'x', '\u0000') }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), with: fc.nat({ max: REPLACEMENTS.length - 1 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
);

function mutate(text: string, mutations: Mutation[]): string {
  let out = text;
  for (const m of mutations) {
    if (m.kind === 'flip') {
      const i = m.at % Math.max(out.length, 1);
      out = out.slice(0, i) + m.ch + out.slice(i + 1);
    } else if (m.kind === 'truncate') out = out.slice(0, m.at % Math.max(out.length, 1));
    else {
      let doc: JsonValue;
      try {
        doc = parseJsonExact(out);
      } catch {
        continue; // already damaged text: keep it
      }
      const paths = allPaths(doc);
      if (paths.length === 0) continue;
      const c = containerOf(doc, paths[m.at % paths.length]!);
      if (c === undefined) continue;
      const { parent, key } = c;
      if (m.kind === 'replace') (parent as Record<string | number, JsonValue>)[key] = structuredClone(REPLACEMENTS[m.with]!);
      else if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete (parent as Record<string, JsonValue>)[key];
      out = stringifyJsonExact(doc);
    }
  }
  return out;
}

function checkSample(s: SmartSample): void {
  expect(Number.isFinite(s.time)).toBe(true);
  expect(() => sampleToJsonLine(s)).not.toThrow();
  if (s.temperatureC !== undefined) expect(Math.abs(s.temperatureC)).toBeLessThanOrEqual(200);
  if (s.powerOnHours !== undefined) expect(s.powerOnHours).toBeGreaterThanOrEqual(0);
  for (const a of (s.ata?.values() ?? [])) {
    for (const v of [a.value, a.worst, a.thresh]) if (v !== undefined) expect(v >= 0 && v <= 255).toBe(true);
    if (a.raw !== undefined) expect(a.raw >= 0).toBe(true);
    if (typeof a.raw === 'number') expect(Number.isSafeInteger(a.raw)).toBe(true);
  }
}

/** Runs `read`; only SmartParseError may escape. */
function survives(read: () => SmartSample[]): void {
  try {
    read().forEach(checkSample);
  } catch (err) {
    if (!(err instanceof SmartParseError)) throw err;
  }
}

function fuzzSmartctl(texts: readonly string[], runs: number): void {
  fc.assert(
    fc.property(fc.nat({ max: texts.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (i, ms) => {
      const text = mutate(texts[i]!, ms);
      survives(() => [readSmartctlJsonText(text, 'fuzz.json')]);
    }),
    { numRuns: runs },
  );
}

function fuzzCeph(texts: readonly string[], runs: number): void {
  fc.assert(
    fc.property(fc.nat({ max: texts.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (i, ms) => {
      const text = mutate(texts[i]!, ms);
      let value: JsonValue;
      try {
        value = parseJsonExact(text);
      } catch {
        return;
      }
      survives(() => readCephDeviceHealthMap(value).samples);
      survives(() => [...readCephDashboardMap(value).values()].flatMap((h) => h.samples));
    }),
    { numRuns: runs },
  );
}

describe('mutation fuzzing of generated documents', () => {
  const docs = [makeAtaHdd(), makeAtaSsd(), makeNvme({ criticalWarning: 4 }), makeScsi({ version: [7, 1] }), makeScsi({ version: [7, 5] })];
  it('smartctl reader: only SmartParseError, never a crash', () => {
    fuzzSmartctl(docs.map((d) => stringifyJsonExact(d)), 1500);
  });
  it('Ceph readers: only SmartParseError, never a crash', () => {
    const dump = makeCephDump([
      [new Date(Date.UTC(2024, 0, 1)), makeAtaHdd()],
      [new Date(Date.UTC(2024, 0, 2)), { error: 'smartctl failed' }],
    ]);
    fuzzCeph([stringifyJsonExact(dump), stringifyJsonExact({ dev1: makeNvme(), dev2: makeScsi() })], 600);
  });
});

describeShared('mutation fuzzing of the shared real files', () => {
  // Read inside the tests: a skipped describe still runs its body to collect them.
  const smartctlTexts = (): string[] => {
    const dir = sharedPath('smartctl');
    const edge = join(dir, 'edge_cases');
    return [...readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => join(dir, f)), ...readdirSync(edge).map((f) => join(edge, f))].map((f) =>
      readFileSync(f, 'utf8'),
    );
  };

  it('smartctl reader over every shared file: only SmartParseError', () => {
    fuzzSmartctl(smartctlTexts(), 1500);
  });

  it('Ceph readers over the shared Ceph files: only SmartParseError', () => {
    const ceph = sharedPath('ceph');
    fuzzCeph(readdirSync(ceph).map((f) => readFileSync(join(ceph, f), 'utf8')), 400);
  });
});
