import { describe, expect, it } from 'vitest';
import { decodeAtaRaw } from '../../lib/smart/rawDecode.js';

const seagate = { vendor: 'seagate' } as const;
const other = { vendor: 'wdc' } as const;

describe('decodeAtaRaw', () => {
  it('9: hours from smartctl strings, whatever the packing', () => {
    expect(decodeAtaRaw(9, 9023116403587028n, { ...seagate, rawString: '47060h+35m+00.858s' })).toBe(47060);
    expect(decodeAtaRaw(9, 167031278144165, { ...other, rawString: '2725 (151 234 0)' })).toBe(2725);
    expect(decodeAtaRaw(9, 20902, { ...seagate, rawString: '20902.0' })).toBe(20902);
    expect(decodeAtaRaw(9, 33608, other)).toBe(33608);
  });

  it('9: a packed raw without a string is ambiguous → absent', () => {
    expect(decodeAtaRaw(9, 9023116403587028n, seagate)).toBeUndefined();
  });

  it('9: minute / half-minute / second counters become hours', () => {
    expect(decodeAtaRaw(9, 6000, { ...other, name: 'Power_On_Minutes' })).toBe(100);
    expect(decodeAtaRaw(9, 12000, { ...other, name: 'Power_On_Half_Minutes' })).toBe(100);
    expect(decodeAtaRaw(9, 360000, { ...other, name: 'Power_On_Seconds' })).toBe(100);
    expect(decodeAtaRaw(9, 0, { ...other, name: 'Power_On_Minutes', rawString: '1234h+56m' })).toBe(1234);
  });

  it('240: Seagate head flying hours string', () => {
    expect(decodeAtaRaw(240, 11143202455192327n, { ...seagate, rawString: '33543h+43m+14.479s' })).toBe(33543);
  });

  it('190/194: low byte is °C; 0 and >127 are not temperatures', () => {
    expect(decodeAtaRaw(194, 77309411357, other)).toBe(29);
    expect(decodeAtaRaw(190, 757137447, seagate)).toBe(39);
    expect(decodeAtaRaw(194, 0x1200, other)).toBeUndefined();
    expect(decodeAtaRaw(194, 0xff, other)).toBeUndefined();
  });

  it('1/7/195: Seagate error count in the upper 16 bits; other vendors undecoded', () => {
    expect(decodeAtaRaw(1, 79398736, seagate)).toBe(0);
    expect(decodeAtaRaw(7, 0x0002_0000_1000, seagate)).toBe(2);
    expect(decodeAtaRaw(195, 0x0001_0000_0000n, seagate)).toBe(1);
    expect(decodeAtaRaw(1, 0x0002_0000_1000, other)).toBeUndefined();
  });

  it('188: largest of three 16-bit counters (Seagate or a three-number string)', () => {
    expect(decodeAtaRaw(188, 8590065666, seagate)).toBe(2);
    expect(decodeAtaRaw(188, 0x0001_0004_0002, { ...other, rawString: '1 4 2' })).toBe(4);
    expect(decodeAtaRaw(188, 70000, other)).toBeUndefined();
  });

  it('other attributes are not decoded', () => {
    expect(decodeAtaRaw(5, 12, seagate)).toBeUndefined();
    expect(decodeAtaRaw(9, undefined, seagate)).toBeUndefined();
  });
});
