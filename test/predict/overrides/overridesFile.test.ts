/** The overrides file: strict validation with errors naming the entry, stable ids, atomic writes. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  OverridesFileError,
  overrideId,
  parseExpiry,
  readOverridesFile,
  serializeOverrides,
  validateOverrides,
  writeOverridesFile,
} from '../../../lib/predict/overrides/index.js';

const dir = mkdtempSync(join(tmpdir(), 'dp-overrides-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const check = (...entries: unknown[]) => validateOverrides({ overrides: entries }, 'overrides f.json');
const refused = (entries: unknown[]) => {
  try {
    check(...entries);
  } catch (err) {
    expect(err).toBeInstanceOf(OverridesFileError);
    return (err as Error).message;
  }
  throw new Error('accepted');
};

describe('overrides file validation', () => {
  it.each([
    [[{ id: 'a1', device: 'S1', ignore: 'smart_5', colour: 'red' }], /^overrides f\.json: overrides\[0\] \(id a1\): unknown key "colour" \(known: id, device, model, /],
    [[{ device: 'S1', ignore: 'smart_5' }, { device: 'S1', ignore: 'smart_5', expires: '2027-02-30' }], /overrides\[1\]: expires "2027-02-30" is not an ISO date/],
    [[{ device: 'S1', ignore: 'smart_5', expires: '2027-01-31T18:00:00' }], /expires "2027-01-31T18:00:00" is not an ISO date \(2027-01-31\) or date-time with a zone/],
    [[{ device: 'S1', ignore: 'smart_1000' }], /overrides\[0\]: unknown attribute "smart_1000"/],
    [[{ device: 'S1', ignore: 'smart_0' }], /ATA attribute ids are 1 to 255/],
    [[{ device: 'S1', ignore: 'temperature' }], /unknown attribute "temperature"; known: smart_<id>/],
    [[{ device: 'S1', ignore: 'error_raw_sum' }], /sums attributes 5\/187\/188\/197\/198/],
    [[{ device: 'S1', baseline: { attribute: 'nvme.critical_warning', value: 1 } }], /"nvme.critical_warning" is not a counter/],
    [[{ device: 'S1', baseline: { attribute: 'smart_5', value: -1 } }], /baseline.value must be a non-negative integer/],
    [[{ device: 'S1', baseline: { attribute: 'smart_5', value: 1.5 } }], /baseline.value must be a non-negative integer/],
    [[{ device: 'S1', baseline: { attribute: 'smart_5', value: 8, by: 'me' } }], /baseline: unknown key "by"/],
    [[{ device: 'S1', baseline: 'smart_5=8' }], /baseline must be \{"attribute"/],
    [[{ device: 'S1', model: 'M', ignore: 'smart_5' }], /needs exactly one of device \(serial, WWN or devid\) and model/],
    [[{ ignore: 'smart_5' }], /needs exactly one of device/],
    [[{ device: 'S1' }], /needs exactly one of ignore, baseline, forceStatus$/],
    [[{ device: 'S1', ignore: 'smart_5', forceStatus: 'Good', note: 'x' }], /needs exactly one of ignore, baseline, forceStatus \(has ignore and forceStatus\)/],
    [[{ device: 'S1', forceStatus: 'Good' }], /forceStatus needs a note/],
    [[{ device: 'S1', forceStatus: 'Unknown', note: 'x' }], /forceStatus must be one of Good, Warning, Bad/],
    [[{ device: '  ', ignore: 'smart_5' }], /device must be a non-empty string/],
    [[{ id: 'no spaces', device: 'S1', ignore: 'smart_5' }], /id must be 1-32 letters/],
    [[{ id: 'x', device: 'S1', ignore: 'smart_5' }, { id: 'x', device: 'S2', ignore: 'smart_5' }], /overrides\[1\] has the id x of overrides\[0\]/],
    [[{ device: 'S1', ignore: 'smart_5' }, { device: 'S1', ignore: 'smart_5' }], /the same entry twice/],
    [['smart_5'], /overrides\[0\] must be an object/],
  ])('refuses %j', (entries, message) => {
    expect(refused(entries)).toMatch(message);
  });

  it('refuses a document that is not {"overrides": [...]}', () => {
    expect(() => validateOverrides([], 'w')).toThrow(/w: expected a JSON object/);
    expect(() => validateOverrides({ overrides: [], extra: 1 }, 'w')).toThrow(/unknown key "extra" \(known: overrides\)/);
    expect(() => validateOverrides({ overrides: {} }, 'w')).toThrow(/overrides must be an array/);
  });

  it('accepts names as reasons show them, canonical, and gives entries without an id a stable one', () => {
    const [a, b] = check({ device: ' S1 ', ignore: 'SMART_197_raw_delta7' }, { model: 'M', baseline: { attribute: 'nvme.media_errors', value: 3 }, expires: '2027-01-31' });
    expect(a!.action).toEqual({ kind: 'ignore', attribute: 'smart_197' });
    expect(a!.scope).toEqual({ device: 'S1' });
    expect(a!.id).toMatch(/^[0-9a-f]{8}$/);
    expect(a!.id).toBe(check({ device: 'S1', ignore: 'smart_197' })[0]!.id);
    expect(b!.id).not.toBe(a!.id);
    expect(b!.expiresAt).toBe(Date.UTC(2027, 0, 31));
    expect(overrideId(b!)).toBe(b!.id);
  });

  it('parses dates and date-times with zones exactly', () => {
    expect(parseExpiry('2027-01-31')).toBe(Date.UTC(2027, 0, 31));
    expect(parseExpiry('2027-01-31T18:30:00Z')).toBe(Date.UTC(2027, 0, 31, 18, 30));
    expect(parseExpiry('2027-01-31T18:30+02:00')).toBe(Date.UTC(2027, 0, 31, 16, 30));
    expect(parseExpiry('2027-01-31T18:30:00.250-01:30')).toBe(Date.UTC(2027, 0, 31, 20, 0, 0, 250));
    for (const bad of ['2027-1-31', '31/01/2027', '2027-01-31T25:00Z', '2027-02-29', 'tomorrow', '2027-01-31 18:00Z']) expect(parseExpiry(bad)).toBeUndefined();
  });
});

describe('overrides file on disk', () => {
  it('round-trips through an atomic write (no temp file left) and keeps ids', () => {
    const file = join(dir, 'o.json');
    const entries = check({ id: 'keep', device: 'S1', forceStatus: 'Good', note: 'n', expires: '2027-01-31', created: '2026-12-03T10:00:00Z' }, { model: 'M', ignore: 'smart_188' });
    writeOverridesFile(file, entries);
    expect(readdirSync(dir)).toEqual(['o.json']);
    expect(readOverridesFile(file)).toEqual(entries);
    expect(readFileSync(file, 'utf8')).toBe(serializeOverrides(entries));
    expect(JSON.parse(readFileSync(file, 'utf8')).overrides[1]).toEqual({ id: entries[1]!.id, model: 'M', ignore: 'smart_188' });
  });

  it('a missing file is an error unless the caller allows it (a default location)', () => {
    const missing = join(dir, 'none.json');
    expect(() => readOverridesFile(missing)).toThrow(new RegExp(`overrides ${missing}: cannot read \\(ENOENT\\)`));
    expect(readOverridesFile(missing, { missingOk: true })).toEqual([]);
  });

  it('bad JSON and non-files are named, never quoted', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"overrides": [ secret');
    expect(() => readOverridesFile(bad)).toThrow(OverridesFileError);
    expect(() => readOverridesFile(bad)).toThrow(/bad\.json: /);
    expect(() => readOverridesFile(bad)).not.toThrow(/secret/);
    expect(() => readOverridesFile(dir)).toThrow(/a directory, not a regular file/);
  });

  it('a write into a missing folder fails with a typed error and leaves nothing behind', () => {
    expect(() => writeOverridesFile(join(dir, 'no', 'o.json'), [])).toThrow(OverridesFileError);
  });

  it('a link planted at the temp name is not followed', () => {
    const file = join(dir, 'p.json');
    const target = join(dir, 'target.txt');
    writeFileSync(target, 'untouched');
    symlinkSync(target, join(dir, `.p.json.${process.pid}.tmp`));
    expect(() => writeOverridesFile(file, [])).toThrow(/cannot write overrides/);
    expect(readFileSync(target, 'utf8')).toBe('untouched');
  });
});
