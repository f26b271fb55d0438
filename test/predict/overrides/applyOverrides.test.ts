/**
 * Overrides applied by withOverrides on real shared smartctl JSON (and histories built from it): ignoring an
 * attribute removes its reason, an accepted baseline turns a known count back to Good until it grows, a forced
 * status holds until it expires, and every prediction lists what applied.
 */
import { expect, it } from 'vitest';
import { RulesPredictor } from '../../../lib/predict/rulesPredictor.js';
import { createPredictor } from '../../../lib/predict/registry.js';
import { validateOverrides, withOverrides, matchOverrides, adjustHistory } from '../../../lib/predict/overrides/index.js';
import type { Override } from '../../../lib/predict/overrides/index.js';
import type { Predictor } from '../../../lib/predict/types.js';
import { readSmartFile } from '../../../lib/smart/readSmartFile.js';
import type { DeviceHistory, SmartSample } from '../../../lib/smart/types.js';
import { MS_PER_DAY } from '../../../lib/util/utcTime.js';
import { describeShared, sharedPath } from '../../helpers/shared.js';

const HITACHI = 'ata_hdd__Hitachi_HDS721050DLE630__scrutiny-e026ee.json'; // health failed, 1975 reallocated
const NVME = 'nvme__Samsung_SSD_970_EVO_500GB__scrutiny-34d3d8.json'; // 7 media errors
const SCSI = 'scsi__SEAGATE_ST4000NM0043__scrutiny-51fbf4.json'; // 56 grown defects
const INTEL_SSD = 'ata_ssd__INTEL_SSDSC2KB240G7__smartctl_exporter-1cfa4a.json'; // 4 reallocated, WWN 55cd2e40499602d2

async function history(file: string): Promise<DeviceHistory> {
  const { histories } = await readSmartFile(sharedPath('smartctl', file), { format: 'auto' });
  return histories[0]!;
}

const overrides = (...entries: object[]): Override[] => validateOverrides({ overrides: entries }, 'test');
const NOW = Date.UTC(2026, 11, 3);
const at = (p: Predictor, o: Override[], now = NOW) => withOverrides(p, o, { clock: () => now });

/** The sample `days` later with ATA attribute 5's raw set to `raw` (a history of the real drive over time). */
function laterWithReallocated(s: SmartSample, days: number, raw: number): SmartSample {
  return { ...s, time: s.time + days * MS_PER_DAY, ata: new Map(s.ata).set(5, { ...s.ata!.get(5)!, raw, rawString: String(raw) }) };
}

describeShared('overrides on real smartctl JSON', () => {
  it('ignore: the NVMe drive with 7 media errors warns; ignoring nvme.media_errors removes that reason and it is Good', async () => {
    const h = await history(NVME);
    const rules = new RulesPredictor();
    const before = rules.predict(h);
    expect(before.status).toBe('Warning');
    expect(before.reasons.map((r) => r.feature)).toEqual(['nvme.media_errors']);
    const after = at(rules, overrides({ id: 'ign1', device: 'S466NX0M776250H', ignore: 'nvme.media_errors' })).predict(h);
    expect(after.status).toBe('Good');
    expect(after.reasons).toEqual([]);
    expect(after.reason).not.toMatch(/media and data integrity/);
    expect(after.overrides).toEqual([expect.objectContaining({ id: 'ign1', action: 'ignore', attribute: 'nvme.media_errors', device: 'S466NX0M776250H' })]);
    // the caller's history is not changed
    expect(Number(h.samples[0]!.nvme!.mediaErrors)).toBe(7);
  });

  it('baseline: the SCSI drive with 56 grown defects is Good with 56 accepted, and says so; 55 accepted still warns', async () => {
    const h = await history(SCSI);
    const rules = new RulesPredictor();
    expect(rules.predict(h).status).toBe('Warning');
    const ok = at(rules, overrides({ id: 'b56', model: ' seagate st4000nm0043 ', baseline: { attribute: 'scsi.grown_defects', value: 56 } })).predict(h);
    expect(ok.status).toBe('Good');
    expect(ok.overrides).toEqual([expect.objectContaining({ id: 'b56', action: 'baseline', attribute: 'scsi.grown_defects', baseline: 56, reported: 56 })]);
    expect(ok.overrides![0]!.text).toMatch(/56 accepted by override b56 \(reported 56, read as 0\)/);
    const short = at(rules, overrides({ model: 'SEAGATE ST4000NM0043', baseline: { attribute: 'scsi.grown_defects', value: 55 } })).predict(h);
    expect(short.status).toBe('Warning');
    expect(short.reasons[0]!.value).toBe(1);
    expect(short.reasons[0]!.text).toMatch(/counted above the accepted 55/);
  });

  it('baseline on the default model: the Hitachi with 1975 reallocated sectors and a failed health check is Bad; with both known it is Good', async () => {
    const h = await history(HITACHI);
    const model = createPredictor('default');
    expect(model.predict(h).status).toBe('Bad');
    // the failed health check alone keeps it Bad: overrides do only what they say
    expect(at(model, overrides({ device: 'MSK423Y20S3HBC', baseline: { attribute: 'smart_5', value: 1975 } })).predict(h).status).toBe('Bad');
    const known = overrides(
      { device: 'MSK423Y20S3HBC', baseline: { attribute: 'smart_5_raw', value: 1975 } }, // a reason's feature names the attribute too
      { device: '5000CCA37FCA81A8', ignore: 'smart_status' }, // by WWN, any case
    );
    const p = at(model, known).predict(h);
    expect(p.status).toBe('Good');
    expect(p.overrides!.map((o) => [o.action, o.attribute])).toEqual([
      ['ignore', 'smart_status'],
      ['baseline', 'smart_5'],
    ]);
    expect(p.reasons.some((r) => r.feature === 'smart_status')).toBe(false);
  });

  it('baseline on a history: an ATA SSD with 4 known reallocated sectors stays Good at 4 and warns once it grows past them', async () => {
    const first = (await history(INTEL_SSD)).samples[0]!;
    const grown: DeviceHistory = { samples: [first, laterWithReallocated(first, 10, 6)], errors: [] };
    const steady: DeviceHistory = { samples: [first, laterWithReallocated(first, 10, 4)], errors: [] };
    const rules = new RulesPredictor();
    expect(rules.predict(grown).status).toBe('Warning');
    const accept4 = at(rules, overrides({ device: '55cd2e40499602d2', baseline: { attribute: 'smart_5', value: 4 } }));
    expect(accept4.predict(steady).status).toBe('Good');
    const p = accept4.predict(grown);
    expect(p.status).toBe('Warning'); // it grew past the baseline: 0 → 2
    expect(p.reasons[0]).toMatchObject({ feature: 'smart_5_raw', value: 2 });
    expect(p.overrides![0]).toMatchObject({ baseline: 4, reported: 6 });
    const accept6 = at(rules, overrides({ device: '55cd2e40499602d2', baseline: { attribute: 'smart_5', value: 6 } }));
    expect(accept6.predict(grown).status).toBe('Good');
  });

  it('force: a status with a note holds until it expires, then the model speaks again; an expired override is not listed', async () => {
    const h = await history(SCSI);
    const rules = new RulesPredictor();
    const forced = overrides({ id: 'f1', device: 'SEAGATE_ST4000NM0043_Z1Z5DWJK0000XXXXXXXX', forceStatus: 'Bad', note: 'replace at next visit', expires: '2027-01-01T00:00:00Z' });
    const before = at(rules, forced, Date.UTC(2026, 11, 31, 23, 59)).predict(h);
    expect(before).toMatchObject({ status: 'Bad', cli: '<2w', lifeExpectancy: { fromDays: 0, toDays: 13 } });
    expect(before.reason).toBe('status forced to Bad by override f1 until 2027-01-01T00:00:00Z: replace at next visit; the model said Warning');
    expect(before.overrides).toEqual([expect.objectContaining({ id: 'f1', action: 'force', status: 'Bad', modelStatus: 'Warning', note: 'replace at next visit' })]);
    // the model's own reasons stay, for whoever looks closer
    expect(before.reasons[0]!.feature).toBe('scsi.grown_defects');
    const after = at(rules, forced, Date.UTC(2027, 0, 1)).predict(h);
    expect(after.status).toBe('Warning');
    expect(after.overrides).toEqual([]);
    // an explicit `now` decides expiry over the clock
    expect(at(rules, forced, Date.UTC(2027, 0, 1)).predict(h, { now: Date.UTC(2026, 0, 1) }).status).toBe('Bad');
  });

  it('a force can answer for an Unknown, and says what the model said', async () => {
    const h: DeviceHistory = { devid: 'X_Y', samples: [], errors: [] };
    const p = at(new RulesPredictor(), overrides({ device: 'x_y', forceStatus: 'Warning', note: 'watch it' })).predict(h);
    expect(p.status).toBe('Warning');
    expect(p.reason).toMatch(/the model said Unknown \(no SMART samples\)/);
  });

  it('precedence: a device entry wins over a model entry, ignoring wins over a baseline; others do not match', async () => {
    const h = await history(SCSI);
    const rules = new RulesPredictor();
    const list = overrides(
      { id: 'dev', device: 'Z1Z5DWJK0000XXXXXXXX', forceStatus: 'Warning', note: 'device' },
      { id: 'mod', model: 'SEAGATE ST4000NM0043', forceStatus: 'Bad', note: 'model' },
      { id: 'bas', model: 'SEAGATE ST4000NM0043', baseline: { attribute: 'scsi.grown_defects', value: 10 } },
      { id: 'ign', device: 'Z1Z5DWJK0000XXXXXXXX', ignore: 'scsi.grown_defects' },
      { id: 'other', device: 'Z1Z5DWJK', forceStatus: 'Good', note: 'a prefix is not the serial' },
      { id: 'othermodel', model: 'SEAGATE ST4000NM', forceStatus: 'Good', note: 'nor a prefix of the model' },
    );
    expect(matchOverrides(h, list, NOW).map((o) => o.id)).toEqual(['dev', 'mod', 'bas', 'ign']);
    const p = at(rules, list).predict(h);
    expect(p.status).toBe('Warning');
    expect(p.reason).toMatch(/override dev/);
    expect(p.overrides!.map((o) => o.id)).toEqual(['ign', 'dev']);
    expect(p.reasons.some((r) => r.feature === 'scsi.grown_defects')).toBe(false);
  });

  it('ignoring an ATA attribute drops it from every sample and from Ceph day dicts; other samples are untouched', async () => {
    const h = await history(HITACHI);
    const withDict: DeviceHistory = { ...h, samples: h.samples.map((s) => ({ ...s, ceph: { smart_5_raw: 1975, smart_5_normalized: 100, smart_197_raw: 8 } })) };
    const adjusted = adjustHistory(withDict, { ignore: new Set(['smart_5']), baseline: new Map([['smart_197', 5]]) });
    expect(adjusted.samples[0]!.ata!.get(5)).toBeUndefined();
    expect(adjusted.samples[0]!.ceph).toEqual({ smart_197_raw: 3 });
    expect(Number(adjusted.samples[0]!.ata!.get(197)!.raw)).toBe(3);
    expect(withDict.samples[0]!.ata!.get(5)).toBeDefined();
  });

  it('SCSI uncorrected errors: a baseline comes off their sum (read, then write, then verify); 64-bit NVMe counters stay exact', async () => {
    const s = (await history(SCSI)).samples[0]!;
    const scsiSample: SmartSample = { ...s, scsi: { ...s.scsi, read: { uncorrected: 3 }, write: { uncorrected: 2n }, verify: { uncorrected: 0 } } };
    const [a] = adjustHistory({ samples: [scsiSample], errors: [] }, { ignore: new Set(), baseline: new Map([['scsi.uncorrected_errors', 4]]) }).samples;
    expect(a!.scsi).toMatchObject({ read: { uncorrected: 0 }, write: { uncorrected: 1 }, verify: { uncorrected: 0 } });
    const [dropped] = adjustHistory({ samples: [scsiSample], errors: [] }, { ignore: new Set(['scsi.uncorrected_errors']), baseline: new Map() }).samples;
    expect(dropped!.scsi!.read).toEqual({});
    expect(new RulesPredictor().predict({ samples: [scsiSample], errors: [] }).reasons[0]!.feature).toBe('scsi.uncorrected_errors');
    const n = (await history(NVME)).samples[0]!;
    const big: SmartSample = { ...n, nvme: { ...n.nvme, mediaErrors: 2n ** 60n } };
    const [b] = adjustHistory({ samples: [big], errors: [] }, { ignore: new Set(['nvme.available_spare']), baseline: new Map([['nvme.media_errors', 7]]) }).samples;
    expect(b!.nvme!.mediaErrors).toBe(2n ** 60n - 7n);
    expect(b!.nvme!.availableSpare).toBeUndefined();
    expect(b!.nvme!.availableSpareThreshold).toBeUndefined();
    expect(b!.nvme!.percentageUsed).toBe(n.nvme!.percentageUsed);
  });
});
