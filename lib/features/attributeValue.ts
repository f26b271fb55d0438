/**
 * The number a feature column holds for one ATA attribute on one day. Both the live path (a
 * SmartSample) and the training path (Backblaze columns) go through here, so they agree.
 * Vendor-packed raws are decoded (lib/smart/rawDecode.ts): Seagate 1/7 → error count, 188 → largest
 * timeout counter, 190/194 → °C (NaN when the packing is not a temperature), 9/240 → hours.
 */
import { decodeAtaRaw } from '../smart/rawDecode.js';
import type { RawInteger, Vendor } from '../smart/types.js';

export function attributeColumnValue(id: number, raw: RawInteger | undefined, vendor: Vendor, decoded?: number, rawString?: string): number {
  if (raw === undefined) return NaN;
  const d = decoded ?? decodeAtaRaw(id, raw, rawString === undefined ? { vendor } : { vendor, rawString });
  if (d !== undefined) return d;
  if (id === 190 || id === 194) return NaN;
  return Number(raw);
}
