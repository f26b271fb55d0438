/**
 * Vendor-packed ATA raw values decoded to the number that means something. The exact raw integer
 * is always kept beside it (`AtaAttribute.raw`); `decoded` is only set when the packing is known,
 * otherwise it is absent (never a guess).
 *
 * Per attribute:
 *  - 9 Power_On_Hours, 240 Head_Flying_Hours: hours. smartctl's raw string is authoritative when
 *    present, because its drive database knows the packing: "47060h+35m+00.858s" (Seagate
 *    msec24hour32: hours in the low 32 bits, milliseconds above), "2725 (151 234 0)" (raw24(raw8):
 *    hours in the low 24 bits), or a plain "33608". Attribute 9 named Power_On_Minutes /
 *    Power_On_Half_Minutes / Power_On_Seconds is converted to whole hours. Without a string, a
 *    raw up to 2^32-1 is taken as hours; a larger raw is ambiguous (24- or 32-bit packing) → absent.
 *  - 190 Airflow_Temperature_Cel, 194 Temperature_Celsius: °C = the low byte ("39 (Min/Max 33/45)",
 *    "29 (0 18 0 0 0)"; the upper bytes hold min/max). Absent when the low byte is 0 or above 127.
 *  - 1 Raw_Read_Error_Rate, 7 Seek_Error_Rate, 195 Hardware_ECC_Recovered on Seagate drives: a
 *    48-bit rate, upper 16 bits = error count, low 32 bits = operation count. decoded = the error
 *    count (raw >> 32); the operation count is `raw mod 2^32`. Other vendors' raw values are plain
 *    counts (no decoding).
 *  - 188 Command_Timeout on Seagate drives (or whenever smartctl prints it as three numbers, "2 2 2"):
 *    three 16-bit counters; decoded = the largest of them, a lower bound on the timeout count that
 *    does not depend on which counter firmware puts where.
 */
import type { RawInteger, Vendor } from './types.js';

export interface RawDecodeContext {
  vendor: Vendor;
  /** smartctl's attribute name (drive-database specific) */
  name?: string;
  /** smartctl's raw string */
  rawString?: string;
}

const TWO_32 = 2 ** 32;

export function decodeAtaRaw(id: number, raw: RawInteger | undefined, ctx: RawDecodeContext): number | undefined {
  switch (id) {
    case 9:
      return decodeHours(raw, ctx, powerOnUnitsPerHour(ctx.name));
    case 240:
      return decodeHours(raw, ctx, 1);
    case 190:
    case 194:
      return decodeTemperature(raw);
    case 1:
    case 7:
    case 195:
      return ctx.vendor === 'seagate' ? upperErrorCount(raw) : undefined;
    case 188:
      return ctx.vendor === 'seagate' || isThreeCounters(ctx.rawString) ? largestOfThree16(raw) : undefined;
    default:
      return undefined;
  }
}

function powerOnUnitsPerHour(name: string | undefined): number {
  switch (name) {
    case 'Power_On_Minutes':
      return 60;
    case 'Power_On_Half_Minutes':
      return 120;
    case 'Power_On_Seconds':
      return 3600;
    default:
      return 1;
  }
}

const HMS = /^(\d+)h(?:\+\d+m)?(?:\+[\d.]+s)?$/;
// "33608", "33608.0" (Ceph's float re-serialisation), "2725 (151 234 0)"
const LEADING_INTEGER = /^(\d+)(?:\.0+)?(?:\s|$)/;

function decodeHours(raw: RawInteger | undefined, ctx: RawDecodeContext, unitsPerHour: number): number | undefined {
  const text = ctx.rawString?.trim();
  if (text) {
    const hms = HMS.exec(text);
    if (hms) return Number(hms[1]);
    const lead = LEADING_INTEGER.exec(text);
    if (lead) return Math.floor(Number(lead[1]) / unitsPerHour);
  }
  if (raw === undefined) return undefined;
  const n = Number(raw);
  return n < TWO_32 ? Math.floor(n / unitsPerHour) : undefined;
}

function decodeTemperature(raw: RawInteger | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const low = Number(BigInt(raw) & 0xffn);
  return low > 0 && low < 128 ? low : undefined;
}

function upperErrorCount(raw: RawInteger | undefined): number | undefined {
  if (raw === undefined) return undefined;
  return Number(BigInt(raw) >> 32n);
}

function isThreeCounters(rawString: string | undefined): boolean {
  return rawString !== undefined && /^\d+ \d+ \d+$/.test(rawString.trim());
}

function largestOfThree16(raw: RawInteger | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const b = BigInt(raw);
  if (b >> 48n !== 0n) return undefined; // not a 48-bit packed value
  return Math.max(Number(b & 0xffffn), Number((b >> 16n) & 0xffffn), Number((b >> 32n) & 0xffffn));
}
