import { describe, expect, it } from 'vitest';
import { inferVendor } from '../../lib/smart/vendor.js';

describe('inferVendor', () => {
  it.each([
    ['ST4000DM000', 'seagate'],
    ['ST12000NM000J-2TV103', 'seagate'],
    ['ZA250CM10002', 'seagate'],
    ['Seagate BarraCuda SSD ZA500CM10002', 'seagate'],
    ['HGST HMS5C4040ALE640', 'hgst'],
    ['HMS5C4040BLE640', 'hgst'],
    ['HUH721212ALE600', 'hgst'],
    ['HUSMR7632BHP301', 'hgst'],
    ['Hitachi HDS5C3030ALA630', 'hitachi'],
    ['HDS722020ALA330', 'hitachi'],
    ['WDC WD30EFRX-68EUZN0', 'wdc'],
    ['WD40EFRX', 'wdc'],
    ['WUH721818ALE6L4', 'wdc'],
    ['WD Red SA500 2.5 4TB', 'wdc'],
    ['TOSHIBA MG07ACA14TA', 'toshiba'],
    ['MG08ACA16TEY', 'toshiba'],
    ['HDWE140', 'toshiba'],
    ['KXG60ZNV512G TOSHIBA', 'toshiba'],
    ['Samsung SSD 860 EVO 500GB', 'samsung'],
    ['MZ7KH480HAHQ0D3', 'samsung'],
    ['INTEL SSDSC2KB240G8', 'intel'],
    ['SSDSCKJB240G7R', 'intel'],
    ['Micron_5300_MTFDDAK1T9TDS', 'micron'],
    ['MTFDDAV240TDU', 'micron'],
    ['CT250MX500SSD1', 'crucial'],
    ['Crucial_CT1050MX300SSD1', 'crucial'],
    ['KINGSTON SA400S37240G', 'kingston'],
    ['SanDisk pSSD', 'sandisk'],
    ['HP SSD S700 250GB', 'hp'],
    ['DELLBOSS VD', 'dell'],
  ] as const)('%s → %s', (model, vendor) => {
    expect(inferVendor(model)).toBe(vendor);
  });

  it.each(['S', 'X SSD 850 PRO 128GB', 'TS32GMTS400', 'Force MP510', 'MB0500EBNCR', 'HFS1T9G3H2X069N', 'STORAGE', 'M', 'W', ''])(
    'never guesses from a letter or an unknown part number: %j',
    (model) => {
      expect(inferVendor(model)).toBe('unknown');
    },
  );

  it('uses the SCSI vendor field case-insensitively, except a SAT bridge', () => {
    expect(inferVendor('XYZ 123', 'seagate ')).toBe('seagate');
    expect(inferVendor('MAS3735NC', 'HP 73.4G')).toBe('hp');
    expect(inferVendor('ST4000NM0023', 'ATA')).toBe('seagate');
    expect(inferVendor('SEAGATE ST0000000', 'XYZZZZZZ')).toBe('seagate');
    expect(inferVendor(undefined, 'NoSuchCo')).toBe('unknown');
  });

  it('falls back to the smartctl model family by brand word', () => {
    expect(inferVendor('9XYZ123', undefined, 'Western Digital Red')).toBe('wdc');
    expect(inferVendor('TS32GMTS400', undefined, 'Silicon Motion based SSDs')).toBe('unknown');
  });

  it('answers a repeated question as the first time, whichever field each string came in', () => {
    // remembered answers are keyed by all three strings: the same text in another field is another question
    for (let round = 0; round < 2; round++) {
      expect(inferVendor('ST4000DM000')).toBe('seagate');
      expect(inferVendor(undefined, 'ST4000DM000')).toBe('unknown');
      expect(inferVendor('', undefined, 'ST4000DM000')).toBe('unknown');
      expect(inferVendor('ST4000', 'DM000')).toBe('seagate');
      expect(inferVendor('ST4000D', 'M000')).toBe('seagate');
      expect(inferVendor('XYZ', 'HGST')).toBe('hgst');
      expect(inferVendor('XY', 'ZHGST')).toBe('unknown');
    }
  });
});
