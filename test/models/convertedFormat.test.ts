/**
 * The converted format's arrays (lib/models/ceph/convertedFormat.ts): each distinct support vector is stored once,
 * as 32-bit floats when all of a model's values are exactly such floats, and read back to the same values; others
 * stay doubles; version-1 files (doubles only, offsets in doubles) are still read; a reference that does not fit is
 * refused.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readConverted, writeConverted } from '../../lib/models/ceph/convertedFormat.js';
import { CephModelError } from '../../lib/models/ceph/errors.js';
import type { ProphetStorModels, SvcModel } from '../../lib/models/ceph/modelTypes.js';

const work = mkdtempSync(join(tmpdir(), 'dp-converted-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function svm(file: string, supportVectors: number[]): SvcModel {
  return { file, nFeatures: 2, nSupport: supportVectors.length / 2, gamma: 0.5, intercept: -0.25, dualCoef: Float64Array.from(supportVectors.slice(0, supportVectors.length / 2), (v) => v / 3), supportVectors: Float64Array.from(supportVectors) };
}

function prophetstor(svms: SvcModel[]): ProphetStorModels {
  return { kind: 'prophetstor', config: svms.map((s) => ({ file: s.file, attributes: ['a', 'b'] })), svms: new Map(svms.map((s) => [s.file, s])), version: 'ceph-test' };
}

function written(name: string, models: ProphetStorModels): string {
  const dir = join(work, name);
  writeConverted(dir, { models, sources: [] }, '/nowhere');
  return dir;
}

describe('converted ProphetStor models', () => {
  it('stores support vectors as 32-bit floats where every value is one, and reads back the same values', () => {
    const exact = svm('ints.pkl', [0, -0, 1, 255, 65535, -3, 0.5, Infinity]);
    const inexact = svm('frac.pkl', [0.1, 2, 3, 4]);
    const dir = written('mixed', prophetstor([exact, inexact]));
    const doc = JSON.parse(readFileSync(join(dir, 'prophetstor.json'), 'utf8')) as { schemaVersion: number; svms: Array<{ supportVectors: { type: string }; dualCoef: { type: string }; rowOf: { type: string } }> };
    expect(doc.schemaVersion).toBe(2);
    expect(doc.svms.map((s) => [s.supportVectors.type, s.dualCoef.type, s.rowOf.type])).toEqual([
      ['f32', 'f64', 'i32'],
      ['f64', 'f64', 'i32'],
    ]);
    const back = readConverted(dir, 'prophetstor').models as ProphetStorModels;
    const ints = back.svms.get('ints.pkl')!;
    expect(ints.supportVectors).toBeInstanceOf(Float32Array);
    expect(Array.from(ints.supportVectors)).toEqual(Array.from(exact.supportVectors));
    expect(Array.from(ints.rowOf!)).toEqual([0, 1, 2, 3]);
    expect(Object.is(ints.supportVectors[1], -0)).toBe(true);
    expect(ints.dualCoef).toEqual(exact.dualCoef);
    const frac = back.svms.get('frac.pkl')!;
    expect(frac.supportVectors).toBeInstanceOf(Float64Array);
    expect(frac.supportVectors).toEqual(inexact.supportVectors);
    expect(Array.from(frac.rowOf!)).toEqual([0, 1]);
  });

  it('stores each distinct support vector once, as 32-bit floats where it can', () => {
    const size = (name: string, values: number[]): number => statSync(join(written(name, prophetstor([svm('big.pkl', values)])), 'prophetstor.f64')).size;
    const distinct = Array.from({ length: 2000 }, (_, i) => i);
    // 1,000 support vectors: dual coefficients (doubles), rows (floats or doubles), row of each (32-bit integers)
    expect(size('floats', distinct)).toBe(1000 * 8 + 2000 * 4 + 1000 * 4);
    expect(size('doubles', distinct.map((v) => v + 0.1))).toBe(1000 * 8 + 2000 * 8 + 1000 * 4);
    // ten distinct rows, each repeated a hundred times
    const repeated = Array.from({ length: 2000 }, (_, i) => (i >> 1) % 10);
    const dir = written('repeated', prophetstor([svm('big.pkl', repeated)]));
    expect(statSync(join(dir, 'prophetstor.f64')).size).toBe(1000 * 8 + 10 * 2 * 4 + 1000 * 4);
    const back = (readConverted(dir, 'prophetstor').models as ProphetStorModels).svms.get('big.pkl')!;
    expect(Array.from(back.rowOf!.subarray(0, 12))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    expect(Array.from(back.supportVectors.subarray(0, 4))).toEqual([0, 0, 1, 1]);
  });

  it('reads version-1 files: doubles only, offsets counted in doubles', () => {
    const dir = join(work, 'v1');
    const sidecar = Buffer.from(Float64Array.of(0.5, -1, 1, 2, 3, 4).buffer);
    const doc = {
      schema: 'diskpredict.ceph-models',
      schemaVersion: 1,
      kind: 'prophetstor',
      version: 'ceph-v1',
      provenance: { sourceDir: '/nowhere', converter: 'diskpredict 0.1.0', files: [] },
      sidecar: { file: 'prophetstor.f64', bytes: sidecar.length, sha256: createHash('sha256').update(sidecar).digest('hex') },
      config: [{ file: 'old.pkl', attributes: ['a', 'b'] }],
      svms: [{ file: 'old.pkl', nFeatures: 2, nSupport: 2, gamma: 0.5, intercept: 0, dualCoef: { offset: 0, length: 2 }, supportVectors: { offset: 2, length: 4 } }],
    };
    writeWith(dir, doc, sidecar);
    const m = (readConverted(dir, 'prophetstor').models as ProphetStorModels).svms.get('old.pkl')!;
    expect(m.dualCoef).toEqual(Float64Array.of(0.5, -1));
    expect(m.supportVectors).toEqual(Float64Array.of(1, 2, 3, 4));
  });

  it('refuses references outside the sidecar, misaligned, of an unknown type, or 32-bit where doubles are needed', () => {
    const dir = written('refs', prophetstor([svm('ints.pkl', [1, 2, 3, 4])]));
    const doc = JSON.parse(readFileSync(join(dir, 'prophetstor.json'), 'utf8')) as { svms: Array<Record<string, Record<string, unknown>>> };
    const sidecar = readFileSync(join(dir, 'prophetstor.f64'));
    const variants: Array<[string, (s: Record<string, Record<string, unknown>>) => void, RegExp]> = [
      ['outside', (s) => (s['supportVectors']!['length'] = 1000), /lies outside the sidecar/],
      ['misaligned', (s) => (s['dualCoef']!['offset'] = 4), /lies outside the sidecar/],
      ['unknown type', (s) => (s['supportVectors']!['type'] = 'f16'), /is not "f64", "f32" or "i32"/],
      ['32-bit coefficients', (s) => (s['dualCoef'] = { ...s['supportVectors'] }), /stored as 32-bit floats, not doubles/],
      ['float rows', (s) => (s['rowOf'] = { ...s['supportVectors'] }), /rowOf is not stored as integers/],
      ['row out of range', (s) => (s['rowOf']!['length'] = 1), /rowOf does not fit the support vectors/],
    ];
    for (const [name, change, message] of variants) {
      const copy = structuredClone(doc);
      change(copy.svms[0]!);
      const target = join(work, `refs-${name.replace(/ /g, '-')}`);
      writeWith(target, copy, sidecar);
      expect(() => readConverted(target, 'prophetstor'), name).toThrow(CephModelError);
      expect(() => readConverted(target, 'prophetstor'), name).toThrow(message);
    }
  });
});

function writeWith(dir: string, doc: unknown, sidecar: Buffer): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'prophetstor.json'), JSON.stringify(doc));
  writeFileSync(join(dir, 'prophetstor.f64'), sidecar);
}
