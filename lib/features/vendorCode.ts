/** Vendors as the numeric `vendor` feature (index in this list; a new vendor is appended, never inserted). */
import type { Vendor } from '../smart/types.js';

export const VENDOR_CODES: readonly Vendor[] = Object.freeze([
  'unknown', 'seagate', 'hgst', 'hitachi', 'wdc', 'toshiba', 'samsung', 'intel', 'micron', 'crucial', 'kingston', 'sandisk', 'hp', 'dell',
] as Vendor[]);

export function vendorCode(vendor: Vendor | undefined): number {
  const i = VENDOR_CODES.indexOf(vendor ?? 'unknown');
  return i < 0 ? 0 : i;
}
