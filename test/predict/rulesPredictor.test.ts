import { describe, expect, it } from 'vitest';
import { RulesPredictor } from '../../lib/predict/rulesPredictor.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readSmartFile } from '../../lib/smart/readSmartFile.js';
import type { AtaAttribute, DeviceHistory, SmartSample } from '../../lib/smart/types.js';
import { describeShared, hasShared, sharedPath } from '../helpers/shared.js';
import { ataMap } from '../helpers/ataMap.js';

const DAY = 86_400_000;
const t0 = Date.UTC(2024, 0, 1);
const history = (samples: SmartSample[]): DeviceHistory => ({ samples, errors: [] });
const nvme = (day: number, h: SmartSample['nvme'], passed = true): SmartSample => ({ device: { vendor: 'samsung', protocol: 'nvme' }, time: t0 + day * DAY, healthPassed: passed, nvme: h });
const cw = { raw: 0, availableSpareLow: false, temperature: false, reliabilityDegraded: false, readOnly: false, volatileBackupFailed: false, persistentMemoryUnreliable: false };
const rules = new RulesPredictor();

describe('rule scorer', () => {
  it('NVMe: healthy drive is Good with the rules model name', () => {
    const p = rules.predict(history([nvme(0, { criticalWarning: cw, availableSpare: 100, availableSpareThreshold: 10, mediaErrors: 0, percentageUsed: 3 })]));
    expect(p).toMatchObject({ status: 'Good', model: { name: 'rules' }, cli: '>6w', samplesUsed: 1, reasons: [] });
    // A rule level is not a probability: none is invented.
    expect(p.p14).toBeNull();
    expect(p.p42).toBeNull();
    expect(p.reason).toMatch(/no rule fired; checked: .*media and data integrity errors 0/);
  });

  it('NVMe: critical warning bits and spare below threshold are Bad; media-error growth is a Warning', () => {
    const bad = rules.predict(history([nvme(0, { criticalWarning: { ...cw, raw: 4, reliabilityDegraded: true } })]));
    expect(bad.status).toBe('Bad');
    expect(bad.reasons[0]!.text).toMatch(/reliability degraded/);
    expect(rules.predict(history([nvme(0, { availableSpare: 5, availableSpareThreshold: 10 })])).status).toBe('Bad');
    const warn = rules.predict(history([nvme(0, { mediaErrors: 2 }), nvme(3, { mediaErrors: 5 })]));
    expect(warn.status).toBe('Warning');
    expect(warn.reasons[0]).toMatchObject({ feature: 'nvme.media_errors', value: 5, rule: 'media and data integrity errors grew → Warning' });
    expect(warn.reasons[0]!.text).toBe('media and data integrity errors grew by 3 in 3 days (now 5) (rule: media and data integrity errors grew → Warning)');
    const fast = rules.predict(history([nvme(0, { mediaErrors: 2 }), nvme(6, { mediaErrors: 40 })]));
    expect(fast).toMatchObject({ status: 'Bad', reasons: [{ feature: 'nvme.media_errors', value: 40, rule: 'media and data integrity errors grew by ≥ 10 within 30 days → Bad' }] });
    expect(fast.reasons[0]!.text).toMatch(/grew by 38 in 6 days/);
  });

  it('SCSI: growing uncorrected errors are Bad, a growing defect list a Warning', () => {
    const s = (day: number, grown: number, unc: number): SmartSample => ({ device: { vendor: 'unknown', protocol: 'scsi' }, time: t0 + day * DAY, scsi: { grownDefects: grown, read: { uncorrected: unc } } });
    expect(rules.predict(history([s(0, 1, 0), s(1, 1, 2)])).status).toBe('Bad');
    expect(rules.predict(history([s(0, 1, 0), s(1, 4, 0)])).status).toBe('Warning');
    expect(rules.predict(history([s(0, 0, 0), s(1, 0, 0)])).status).toBe('Good');
  });

  it('SCSI: a grown defect list is never Good, even from one sample; fast growth is Bad', () => {
    const s = (day: number, grown: number): SmartSample => ({ device: { vendor: 'seagate', protocol: 'scsi' }, time: t0 + day * DAY, healthPassed: true, scsi: { grownDefects: grown, read: { uncorrected: 0 } } });
    const one = rules.predict(history([s(0, 56)]));
    expect(one).toMatchObject({ status: 'Warning', p14: null, p42: null });
    expect(one.reasons).toEqual([{ feature: 'scsi.grown_defects', text: 'grown defect list: 56 (rule: grown defect list ≥ 1 → Warning)', contribution: 1, value: 56, rule: 'grown defect list ≥ 1 → Warning' }]);
    expect(rules.predict(history([s(0, 56), s(20, 56)])).reasons[0]!.text).toMatch(/^grown defect list: 56, unchanged in 20 days/);
    expect(rules.predict(history([s(0, 56), s(5, 80)])).status).toBe('Bad');
  });

  it('ATA SSD: wear and reallocation growth warn, a failing attribute is Bad', () => {
    const s = (day: number, ata: Record<number, AtaAttribute>): SmartSample => ({ device: { vendor: 'crucial', protocol: 'ata', ssd: true }, time: t0 + day * DAY, ata: ataMap(ata) });
    expect(rules.predict(history([s(0, { 5: { id: 5, raw: 0 } }), s(1, { 5: { id: 5, raw: 2 } })])).status).toBe('Warning');
    expect(rules.predict(history([s(0, { 233: { id: 233, value: 5 } })])).status).toBe('Warning');
    expect(rules.predict(history([s(0, { 202: { id: 202, value: 1, thresh: 1, whenFailed: 'now' } })])).status).toBe('Bad');
  });

  describe('ATA SSD rules of version 3 (measured on Alibaba\'s failed-SSD snapshots, docs/ssd-rules.md)', () => {
    const s = (day: number, ata: Record<number, AtaAttribute>): SmartSample => ({ device: { vendor: 'unknown', protocol: 'ata', ssd: true }, time: t0 + day * DAY, ata: ataMap(ata) });
    const raw = (id: number, v: number): Record<number, AtaAttribute> => ({ [id]: { id, raw: v } });

    it('is version 3', () => {
      expect(rules.model).toEqual({ name: 'rules', version: '3' });
    });

    it('uncorrectable (187), pending (197), offline uncorrectable (198): one sample ≥ 1 is a Warning, 0 is Good', () => {
      for (const [id, what] of [[187, 'reported uncorrectable errors'], [197, 'pending sectors'], [198, 'offline uncorrectable sectors']] as const) {
        const p = rules.predict(history([s(0, raw(id, 3))]));
        expect(p.status, String(id)).toBe('Warning');
        expect(p.reasons).toEqual([{ feature: `smart_${id}_raw`, text: `${what} (${id}): 3 (rule: ${what} (${id}) ≥ 1 → Warning)`, contribution: 1, value: 3, rule: `${what} (${id}) ≥ 1 → Warning` }]);
        expect(rules.predict(history([s(0, raw(id, 0))])).status, String(id)).toBe('Good');
        // unchanged over days: still a Warning, saying for how long
        expect(rules.predict(history([s(0, raw(id, 3)), s(4, raw(id, 3))])).reasons[0]!.text).toBe(`${what} (${id}): 3, unchanged in 4 days (rule: ${what} (${id}) ≥ 1 → Warning)`);
      }
    });

    it('uncorrectable, pending or offline uncorrectable growing is Bad (197 newly)', () => {
      for (const id of [187, 197, 198]) {
        const p = rules.predict(history([s(0, raw(id, 1)), s(2, raw(id, 2))]));
        expect(p.status, String(id)).toBe('Bad');
        expect(p.reasons).toHaveLength(1);
        expect(p.reasons[0]!.rule).toMatch(new RegExp(`\\(${id}\\) grew → Bad$`));
      }
    });

    it('173 is a wear indicator like 177/231/233: normalized ≤ 10 warns, 11 does not', () => {
      const p = rules.predict(history([s(0, { 173: { id: 173, value: 1 } })]));
      expect(p).toMatchObject({ status: 'Warning', reasons: [{ feature: 'smart_173_normalized', value: 1, rule: 'wear indicator (173) ≤ 10 → Warning' }] });
      expect(rules.predict(history([s(0, { 173: { id: 173, value: 11 } })])).status).toBe('Good');
    });

    it('program and erase fails (171, 172, 181, 182): growth warns, a static count does not', () => {
      for (const id of [171, 172, 181, 182]) {
        expect(rules.predict(history([s(0, raw(id, 1)), s(3, raw(id, 2))])).reasons[0]!.rule, String(id)).toMatch(new RegExp(`(program|erase) fails \\(${id}\\) grew → Warning$`));
        expect(rules.predict(history([s(0, raw(id, 5))])).status, String(id)).toBe('Good');
        expect(rules.predict(history([s(0, raw(id, 5)), s(3, raw(id, 5))])).status, String(id)).toBe('Good');
      }
    });

    it('still no rule on a static reallocated count, end-to-end errors, CRC errors or spare normalized without a threshold', () => {
      const p = rules.predict(history([s(0, { 5: { id: 5, raw: 400, value: 0 }, 170: { id: 170, value: 0 }, 184: { id: 184, raw: 5 }, 199: { id: 199, raw: 900 } })]));
      expect(p.status).toBe('Good');
      expect(p.reason).toMatch(/checked: .*reallocated sectors \(5\) 400/);
    });
  });

  it('a failed overall-health self-assessment is Bad for any device', () => {
    expect(rules.predict(history([nvme(0, { mediaErrors: 0 }, false)])).status).toBe('Bad');
  });

  it('every Warning and Bad names the attribute, its value and the rule; days are the days covered', () => {
    const verdicts = [
      rules.predict(history([nvme(0, { criticalWarning: { ...cw, raw: 2, temperature: true } })])),
      rules.predict(history([nvme(0, { percentageUsed: 104 })])),
      rules.predict(history([nvme(0, { mediaErrors: 1 })])),
    ];
    for (const v of verdicts) {
      expect(v.status).toBe('Warning');
      expect(v.reasons.length).toBeGreaterThan(0);
      for (const r of v.reasons) {
        expect(r.rule).toMatch(/→ (Warning|Bad)$/);
        expect(r.value).toEqual(expect.any(Number));
        expect(r.text).toContain(`(rule: ${r.rule})`);
      }
    }
    // only 2 days of history inside the 30-day window: the text says 2 days, not 30
    expect(rules.predict(history([nvme(0, { mediaErrors: 0 }), nvme(2, { mediaErrors: 1 })])).reasons[0]!.text).toMatch(/grew by 1 in 2 days/);
  });

  it('says Unknown only with a reason', () => {
    const none = rules.predict(history([]));
    expect(none).toMatchObject({ status: 'Unknown', p14: null, lifeExpectancy: null, cli: 'unknown' });
    expect(none.reason).toMatch(/no SMART samples/);
    const empty = rules.predict(history([{ device: { vendor: 'unknown', protocol: 'nvme' }, time: t0 }]));
    expect(empty.status).toBe('Unknown');
    expect(empty.reason).toMatch(/no usable nvme/);
    const days = rules.predictEachDay(history([{ device: { vendor: 'unknown', protocol: 'nvme' }, time: t0 }]));
    expect(days).toEqual([{ time: t0, p14: null, p42: null, status: 'Unknown', reason: expect.stringMatching(/no usable nvme health data/) }]);
  });

  it('scores each day causally', () => {
    const days = rules.predictEachDay(history([nvme(0, { mediaErrors: 0 }), nvme(1, { mediaErrors: 0 }), nvme(2, { mediaErrors: 20 })]));
    expect(days.map((d) => d.status)).toEqual(['Good', 'Good', 'Bad']);
    expect(days.every((d) => d.p14 === null && d.p42 === null)).toBe(true);
  });
});

describeShared('rule scorer on the real SAS and NVMe smartctl outputs (shared data)', () => {
  const dir = sharedPath('smartctl');
  const files = hasShared ? readdirSync(dir).filter((f) => /^(scsi|nvme)__.*\.json$/.test(f)) : [];
  const verdict = async (file: string) => {
    const { histories } = await readSmartFile(join(dir, file));
    return rules.predict(histories[0]!);
  };

  it('finds the SAS and NVMe samples the README lists', () => {
    expect(files.filter((f) => f.startsWith('scsi__')).length).toBeGreaterThanOrEqual(8);
    expect(files.filter((f) => f.startsWith('nvme__')).length).toBeGreaterThanOrEqual(40);
  });

  it('a SAS disk with 56 grown defects is a Warning saying so', async () => {
    const p = await verdict(files.find((f) => f.startsWith('scsi__SEAGATE_ST4000NM0043'))!);
    expect(p).toMatchObject({ status: 'Warning', p14: null, p42: null, reasons: [{ feature: 'scsi.grown_defects', value: 56, rule: 'grown defect list ≥ 1 → Warning' }] });
  });

  it('an NVMe drive with media errors warns; one with a critical-warning bit is Bad', async () => {
    const media = await verdict(files.find((f) => f.startsWith('nvme__Samsung_SSD_970_EVO_500GB'))!);
    expect(media).toMatchObject({ status: 'Warning', reasons: [{ feature: 'nvme.media_errors', value: 7 }] });
    const cw = await verdict(files.find((f) => f.startsWith('nvme__SAMSUNG_MZWLL3T2HAJQ'))!);
    expect(cw.status).toBe('Bad');
    expect(cw.reasons.map((r) => r.rule)).toContain('critical warning bit 4 set → Bad');
  });

  it('version 3 changes no verdict of the 34 real ATA SSD outputs: every one is Good (none has 187/197/198 > 0 or wear ≤ 10)', async () => {
    const ssd = readdirSync(dir).filter((f) => f.startsWith('ata_ssd__'));
    expect(ssd.length).toBeGreaterThanOrEqual(25);
    for (const f of ssd) expect([f, (await verdict(f)).status]).toEqual([f, 'Good']);
  });

  it('an HP MB0500EBNCR hard disk with one reported uncorrectable error is a Warning under the rules model (intended in version 3)', async () => {
    const hdd = readdirSync(dir).filter((f) => f.startsWith('ata_hdd__MB0500EBNCR'));
    expect(hdd.length).toBeGreaterThanOrEqual(1);
    for (const f of hdd) expect((await verdict(f)).reasons.map((r) => r.rule)).toEqual(['reported uncorrectable errors (187) ≥ 1 → Warning']);
  });

  it('every verdict: no probability; reasons exactly when not Good, each with its rule; Good says what was checked', async () => {
    for (const f of files) {
      const p = await verdict(f);
      expect([f, p.p14, p.p42]).toEqual([f, null, null]);
      if (p.status === 'Good') {
        expect([f, p.reasons]).toEqual([f, []]);
        expect(p.reason).toMatch(/no rule fired; checked: overall health passed, /);
      } else if (p.status !== 'Unknown') {
        expect(p.reasons.length).toBeGreaterThan(0);
        for (const r of p.reasons) expect(r.rule).toEqual(expect.any(String));
      }
    }
  });
});
