import { describe, expect, it } from 'vitest';
import { RulesPredictor } from '../../lib/predict/rulesPredictor.js';
import type { DeviceHistory, SmartSample } from '../../lib/smart/types.js';

const DAY = 86_400_000;
const t0 = Date.UTC(2024, 0, 1);
const history = (samples: SmartSample[]): DeviceHistory => ({ samples, errors: [] });
const nvme = (day: number, h: SmartSample['nvme'], passed = true): SmartSample => ({ device: { vendor: 'samsung', protocol: 'nvme' }, time: t0 + day * DAY, healthPassed: passed, nvme: h });
const cw = { raw: 0, availableSpareLow: false, temperature: false, reliabilityDegraded: false, readOnly: false, volatileBackupFailed: false, persistentMemoryUnreliable: false };
const rules = new RulesPredictor();

describe('rule scorer', () => {
  it('NVMe: healthy drive is Good with the rules model name', () => {
    const p = rules.predict(history([nvme(0, { criticalWarning: cw, availableSpare: 100, availableSpareThreshold: 10, mediaErrors: 0, percentageUsed: 3 })]));
    expect(p).toMatchObject({ status: 'Good', model: { name: 'rules' }, cli: '>6w', samplesUsed: 1 });
    expect(p.p14).toBeLessThan(p.p42!);
  });

  it('NVMe: critical warning bits and spare below threshold are Bad; media-error growth is a Warning', () => {
    const bad = rules.predict(history([nvme(0, { criticalWarning: { ...cw, raw: 4, reliabilityDegraded: true } })]));
    expect(bad.status).toBe('Bad');
    expect(bad.reasons[0]!.text).toMatch(/reliability degraded/);
    expect(rules.predict(history([nvme(0, { availableSpare: 5, availableSpareThreshold: 10 })])).status).toBe('Bad');
    const warn = rules.predict(history([nvme(0, { mediaErrors: 2 }), nvme(3, { mediaErrors: 5 })]));
    expect(warn.status).toBe('Warning');
    expect(warn.reasons[0]).toMatchObject({ feature: 'nvme.media_errors', value: 3 });
  });

  it('SCSI: growing uncorrected errors are Bad, a growing defect list a Warning', () => {
    const s = (day: number, grown: number, unc: number): SmartSample => ({ device: { vendor: 'unknown', protocol: 'scsi' }, time: t0 + day * DAY, scsi: { grownDefects: grown, read: { uncorrected: unc } } });
    expect(rules.predict(history([s(0, 1, 0), s(1, 1, 2)])).status).toBe('Bad');
    expect(rules.predict(history([s(0, 1, 0), s(1, 4, 0)])).status).toBe('Warning');
    expect(rules.predict(history([s(0, 1, 0), s(1, 1, 0)])).status).toBe('Good');
  });

  it('ATA SSD: wear and reallocation growth warn, a failing attribute is Bad', () => {
    const s = (day: number, ata: SmartSample['ata']): SmartSample => ({ device: { vendor: 'crucial', protocol: 'ata', ssd: true }, time: t0 + day * DAY, ata });
    expect(rules.predict(history([s(0, { 5: { id: 5, raw: 0 } }), s(1, { 5: { id: 5, raw: 2 } })])).status).toBe('Warning');
    expect(rules.predict(history([s(0, { 233: { id: 233, value: 5 } })])).status).toBe('Warning');
    expect(rules.predict(history([s(0, { 202: { id: 202, value: 1, thresh: 1, whenFailed: 'now' } })])).status).toBe('Bad');
  });

  it('a failed overall-health self-assessment is Bad for any device', () => {
    expect(rules.predict(history([nvme(0, { mediaErrors: 0 }, false)])).status).toBe('Bad');
  });

  it('says Unknown only with a reason', () => {
    const none = rules.predict(history([]));
    expect(none).toMatchObject({ status: 'Unknown', p14: null, lifeExpectancy: null, cli: 'unknown' });
    expect(none.reason).toMatch(/no SMART samples/);
    const empty = rules.predict(history([{ device: { vendor: 'unknown', protocol: 'nvme' }, time: t0 }]));
    expect(empty.status).toBe('Unknown');
    expect(empty.reason).toMatch(/no usable nvme/);
  });

  it('scores each day causally', () => {
    const days = rules.predictEachDay(history([nvme(0, { mediaErrors: 0 }), nvme(1, { mediaErrors: 0 }), nvme(2, { mediaErrors: 20 })]));
    expect(days.map((d) => d.status)).toEqual(['Good', 'Good', 'Bad']);
  });
});
