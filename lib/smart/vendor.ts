/**
 * Drive vendor from the identity strings a drive reports. Only documented, unambiguous evidence
 * counts; anything else is `unknown` (a wrong vendor would pick a wrong per-vendor model or raw
 * decoding, which is worse than none).
 *
 * Evidence, in order:
 *  1. the SCSI INQUIRY vendor field (`scsi_vendor` / `vendor`), matched case-insensitively on its
 *     first word — except "ATA", which a SAT bridge reports for any ATA drive behind it;
 *  2. a brand word anywhere in the model string (words split on space, `_` and `-`), e.g.
 *     "KXG60ZNV512G TOSHIBA", "Micron_5300_MTFDDAK1T9TDS";
 *  3. a vendor part-number prefix at the start of the model string (table below). Every prefix is at
 *     least two letters and, where short, must be followed by a digit, so a single letter never
 *     decides.
 *  4. optionally smartctl's `model_family` (drive-database name), by brand word only.
 */
import type { Vendor } from './types.js';

const BRAND_WORDS: ReadonlyMap<string, Vendor> = new Map([
  ['SEAGATE', 'seagate'],
  ['HGST', 'hgst'],
  ['HITACHI', 'hitachi'],
  ['WDC', 'wdc'],
  ['WD', 'wdc'],
  ['WESTERN', 'wdc'],
  ['TOSHIBA', 'toshiba'],
  ['SAMSUNG', 'samsung'],
  ['INTEL', 'intel'],
  ['MICRON', 'micron'],
  ['CRUCIAL', 'crucial'],
  ['KINGSTON', 'kingston'],
  ['SANDISK', 'sandisk'],
  ['HP', 'hp'],
  ['HPE', 'hp'],
  ['DELL', 'dell'],
  ['DELLBOSS', 'dell'],
]);

/** Part-number prefixes (start of the model string, upper-cased). */
// [pattern, vendor, example part numbers]
const MODEL_PREFIXES: ReadonlyArray<readonly [RegExp, Vendor, string]> = [
  [/^ST\d/, 'seagate', 'ST4000DM000, ST12000NM000J: Seagate HDD part numbers'],
  [/^ZA\d/, 'seagate', 'ZA250CM10002: Seagate SSD part numbers'],
  [/^HUH\d/, 'hgst', 'HUH721212ALE600: HGST Ultrastar He'],
  [/^HUS/, 'hgst', 'HUS726040ALA614, HUSMR7632BHP301: HGST Ultrastar'],
  [/^HMS\d/, 'hgst', 'HMS5C4040ALE640: HGST Megascale'],
  [/^HUA\d/, 'hitachi', 'HUA722010CLA330: Hitachi Ultrastar A7K'],
  [/^HD[STP]\d/, 'hitachi', 'HDS5C3030ALA630, HDT721010SLA360: Hitachi Deskstar'],
  [/^HT[SE]\d/, 'hitachi', 'HTS545050A7E380: Hitachi Travelstar'],
  [/^WD\d/, 'wdc', 'WD40EFRX: Western Digital'],
  [/^WU[HS]\d/, 'wdc', 'WUH721818ALE6L4: WD Ultrastar DC'],
  [/^MG\d\d/, 'toshiba', 'MG08ACA16TE: Toshiba enterprise HDD'],
  [/^MQ\d\d/, 'toshiba', 'MQ01ABD100: Toshiba 2.5" HDD'],
  [/^HDW[A-Z]/, 'toshiba', 'HDWE140, HDWR160: Toshiba desktop/NAS HDD'],
  [/^DT01/, 'toshiba', 'DT01ACA300: Toshiba desktop HDD'],
  [/^MZ[-0-9A-Z]/, 'samsung', 'MZ7KH480HAHQ, MZQL21T9HCJR: Samsung SSD part numbers'],
  [/^SSDS[AC]/, 'intel', 'SSDSC2KB240G8, SSDSCKJB240G7R: Intel SATA SSD'],
  [/^SSDP[EF]/, 'intel', 'SSDPE2KX040T8: Intel NVMe SSD'],
  [/^MEMPEK/, 'intel', 'MEMPEK1W032GA: Intel Optane'],
  [/^MTFD/, 'micron', 'MTFDDAK960QDE: Micron part numbers'],
  [/^CT\d/, 'crucial', 'CT250MX500SSD1, CT250P2SSD8: Crucial'],
  [/^SDSSD/, 'sandisk', 'SDSSDH3500G: SanDisk SSD'],
];

/** SCSI vendor fields that name the bridge, not the drive. */
const BRIDGE_VENDORS = new Set(['ATA', 'SATA']);

/**
 * Answers already given, by identity strings: every sample of a device carries the same ones (a Ceph dump of 12
 * days asks 12 times), and splitting and upper-casing them was ~3 % of reading the golden dumps. Bounded: a full
 * table is emptied and refilled.
 */
const known = new Map<string, Vendor>();
const MAX_KNOWN = 1024;

export function inferVendor(model?: string, scsiVendor?: string, modelFamily?: string): Vendor {
  // an absent string and an empty one are read alike below, so '' stands for both; lengths keep keys apart
  const m = model ?? '';
  const s = scsiVendor ?? '';
  const key = `${m.length}:${m}${s.length}:${s}${modelFamily ?? ''}`;
  let vendor = known.get(key);
  if (vendor === undefined) {
    if (known.size >= MAX_KNOWN) known.clear();
    known.set(key, (vendor = vendorFromStrings(model, scsiVendor, modelFamily)));
  }
  return vendor;
}

function vendorFromStrings(model: string | undefined, scsiVendor: string | undefined, modelFamily: string | undefined): Vendor {
  const scsiWord = scsiVendor?.trim().split(/[\s_]+/)[0]?.toUpperCase();
  if (scsiWord && !BRIDGE_VENDORS.has(scsiWord)) {
    const v = BRAND_WORDS.get(scsiWord);
    if (v) return v;
  }
  if (model) {
    const byWord = firstBrandWord(model);
    if (byWord) return byWord;
    const upper = model.trim().toUpperCase();
    for (const [prefix, vendor] of MODEL_PREFIXES) if (prefix.test(upper)) return vendor;
  }
  if (modelFamily) {
    const byFamily = firstBrandWord(modelFamily);
    if (byFamily) return byFamily;
  }
  return 'unknown';
}

function firstBrandWord(text: string): Vendor | undefined {
  for (const word of text.toUpperCase().split(/[\s_\-/]+/)) {
    const v = BRAND_WORDS.get(word);
    if (v) return v;
  }
  return undefined;
}

