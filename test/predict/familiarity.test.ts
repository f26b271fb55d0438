import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { driveFamilyOf, familiarityOf, normalizeDriveModel, trainedDriveModels } from '../../lib/predict/familiarity.js';
import { readSmartFile } from '../../lib/smart/readSmartFile.js';
import { describeShared, sharedPath } from '../helpers/shared.js';

/** The drive models of the 2019 snapshots and the 2013/2018 files, as Backblaze writes them. */
const TRAINED = ['ST4000DM000', 'HGST HMS5C4040BLE640', 'TOSHIBA MQ01ABF050', 'Hitachi HDS722020ALA330', 'ST8000NM0055', 'WDC WD30EFRX'];
const trained = trainedDriveModels(TRAINED);

describe('normalizeDriveModel', () => {
  it('maps the Backblaze and smartctl spellings of one drive onto one part number', () => {
    expect(normalizeDriveModel('HGST HMS5C4040BLE640')).toBe('HMS5C4040BLE640');
    expect(normalizeDriveModel('hms5c4040ble640')).toBe('HMS5C4040BLE640');
    expect(normalizeDriveModel('ST4000DM000-1F2168')).toBe('ST4000DM000');
    expect(normalizeDriveModel('WDC  WUH721816ALE6L4')).toBe('WUH721816ALE6L4');
    expect(normalizeDriveModel('WDC WD20EFRX-68EUZN0')).toBe('WD20EFRX');
    expect(normalizeDriveModel('  TOSHIBA   MQ01ABF050 ')).toBe('MQ01ABF050');
    // several words stay several words (no part number to cut a suffix from)
    expect(normalizeDriveModel('Samsung SSD 970 EVO Plus 1TB')).toBe('SSD 970 EVO PLUS 1TB');
    expect(normalizeDriveModel('ST500LM012 HN')).toBe('ST500LM012 HN');
  });
});

describe('driveFamilyOf', () => {
  it.each([
    ['ST4000DM000', 'seagate:DM'],
    ['ST8000DM002', 'seagate:DM'],
    ['ST8000NM0055-1RM112', 'seagate:NM'],
    ['ST12000NM0008', 'seagate:NM'],
    ['ST4000DX000', 'seagate:DX'],
    ['ST31500541AS', 'seagate:AS'],
    ['ST32000644NS', 'seagate:NS'],
    ['HGST HMS5C4040BLE640', 'hgst:HMS5C'],
    ['Hitachi HDS722020ALA330', 'hgst:HDS72'],
    ['Hitachi HDS5C3030ALA630', 'hgst:HDS5C'],
    ['HGST HUH721212ALE604', 'hgst:HUH72'],
    ['Hitachi HUA722010CLA330', 'hgst:HUA72'],
    ['HGST HUS728T8TALE6L4', 'hgst:HUS72'],
    ['WDC WD30EFRX', 'wdc:EFRX'],
    ['WDC WD20EFRX-68EUZN0', 'wdc:EFRX'],
    ['WDC WD1003FBYX-01Y7B0', 'wdc:FBYX'],
    ['WDC  WUH721818ALE6L4', 'wdc:WUH72'],
    ['WUH721818ALE6L4', 'wdc:WUH72'],
    ['TOSHIBA MQ01ABF050', 'toshiba:MQ01ABF'],
    ['TOSHIBA MQ01ABF050M', 'toshiba:MQ01ABF'],
    ['TOSHIBA MG07ACA14TA', 'toshiba:MG07ACA'],
    ['TOSHIBA DT01ACA300', 'toshiba:DT01ACA'],
    ['TOSHIBA HDWR160', 'toshiba:HDWR'],
    ['TOSHIBA AL15SEB24EQY', 'toshiba:AL15SEB'],
  ])('%s → %s', (model, family) => {
    expect(driveFamilyOf(model)).toBe(family);
  });

  it.each(['Samsung SSD 970 EVO 500GB', 'SAMSUNG HD103UJ', 'INTEL SSDSC2BB240G4', 'ST320005XXXX', 'TOSHIBA MK1002TSKB', 'Force MP510', ''])('%s has no family', (model) => {
    expect(driveFamilyOf(model)).toBeUndefined();
  });

  it('uses the given vendor over the part number: a model string no rule of that vendor reads has no family', () => {
    expect(driveFamilyOf('ST4000DM000', 'toshiba')).toBeUndefined();
    expect(driveFamilyOf('HDS722020ALA330', 'hitachi')).toBe('hgst:HDS72');
  });
});

describe('familiarityOf', () => {
  it('says model, family, vendor or none against the training drive models', () => {
    expect(familiarityOf({ model: 'ST4000DM000-1F2168' }, trained)).toBe('model');
    expect(familiarityOf({ model: 'HMS5C4040BLE640', vendor: 'hgst' }, trained)).toBe('model');
    expect(familiarityOf({ model: 'ST8000DM002' }, trained)).toBe('family');
    expect(familiarityOf({ model: 'ST12000NM0008' }, trained)).toBe('family');
    expect(familiarityOf({ model: 'HGST HMS5C4040ALE640' }, trained)).toBe('family');
    // Hitachi and HGST are one lineage: an HGST Ultrastar is vendor-familiar to a Hitachi Deskstar
    expect(familiarityOf({ model: 'HGST HUH721212ALE604' }, trained)).toBe('vendor');
    expect(familiarityOf({ model: 'ST4000DX000' }, trained)).toBe('vendor');
    expect(familiarityOf({ model: 'TOSHIBA MG07ACA14TA' }, trained)).toBe('vendor');
    expect(familiarityOf({ model: 'WDC WD20EFRX-68EUZN0' }, trained)).toBe('family');
    expect(familiarityOf({ model: 'Samsung SSD 970 EVO 500GB' }, trained)).toBe('none');
    expect(familiarityOf({ model: 'INTEL SSDSC2BB240G4', vendor: 'intel' }, trained)).toBe('none');
  });

  it('is none without a model string, whatever the vendor', () => {
    expect(familiarityOf({}, trained)).toBe('none');
    expect(familiarityOf({ model: '  ', vendor: 'seagate' }, trained)).toBe('none');
  });

  it('is none for every drive when training names no drive model', () => {
    expect(familiarityOf({ model: 'ST4000DM000' }, trainedDriveModels([]))).toBe('none');
  });
});

describeShared('familiarity of the real smartctl samples against the Backblaze models', () => {
  const manifest = readFileSync(sharedPath('smartctl', 'manifest.csv'), 'utf8').trim().split('\n').slice(1);
  const rows = manifest.map((line) => {
    const [side, file, protocolClass, model] = line.split(',');
    return { side: side!, file: file!, protocolClass: protocolClass!, model: model! };
  });

  it('reads each sample file and labels its drive from the identity the reader found', async () => {
    const counts: Record<string, number> = { model: 0, family: 0, vendor: 0, none: 0 };
    const byModel = new Map<string, string>();
    for (const row of rows.filter((r) => r.side === 'dev' && r.protocolClass === 'ata_hdd')) {
      const contents = await readSmartFile(sharedPath('smartctl', row.file));
      for (const h of contents.histories) {
        const d = h.samples.at(-1)!.device;
        const f = familiarityOf({ model: d.model, vendor: d.vendor }, trained);
        counts[f]!++;
        byModel.set(d.model ?? '', f);
      }
    }
    // smartctl's ATA model strings carry revision suffixes and no brand for Seagate; the part number still matches
    expect(byModel.get('ST8000NM0055-1RM112')).toBe('model');
    expect(byModel.get('ST10000NM0016-1TT101')).toBe('family');
    expect(byModel.get('WDC WD20EFRX-68EUZN0')).toBe('family');
    expect(byModel.get('Hitachi HDS721010CLA332')).toBe('family');
    expect(byModel.get('TOSHIBA MG08ACA16TE')).toBe('vendor');
    expect(counts['model']! + counts['family']! + counts['vendor']!).toBeGreaterThan(counts['none']!);
  });
});

describeShared('driveFamilyOf on the Backblaze drive models', () => {
  it('knows the family of every hard-drive model in the Backblaze files (SSDs and masked names aside)', () => {
    const files = ['bb_2019-01-01_2019-03-30_failed_drives_sampled_days__mitter99.csv', 'bb_2020-2025_failure_day_snapshots_only__rochit02.csv'];
    const models = new Set<string>();
    for (const f of files) {
      const lines = readFileSync(sharedPath('backblaze', f), 'utf8').split('\n');
      const col = lines[0]!.split(',').indexOf('model');
      for (const line of lines.slice(1)) if (line) models.add(line.split(',')[col]!);
    }
    const snapshot = gunzipSync(readFileSync(sharedPath('backblaze', 'bb_2019_last_day_snapshot_5_models__karthikna.csv.gz'))).toString('utf8').split('\n');
    const col = snapshot[0]!.split(',').indexOf('model');
    for (const line of snapshot.slice(1)) if (line) models.add(line.split(',')[col]!);
    expect(models.size).toBeGreaterThan(40);
    // solid-state boot drives, a vendor without a family rule, and an anonymised name
    const without = [...models].filter((m) => driveFamilyOf(m) === undefined && !/SSD|SA510|MX500|^MTFD|MICRON|DELLBOSS|^WDC WDS|XXXX$|SAMSUNG HD/i.test(m));
    expect(without).toEqual([]);
    for (const m of ['ST4000DM000', 'ST8000DM002', 'ST8000NM0055', 'HGST HMS5C4040BLE640', 'TOSHIBA MQ01ABF050']) expect(models.has(m), m).toBe(true);
  });
});
