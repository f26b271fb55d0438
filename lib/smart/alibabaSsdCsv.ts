/**
 * Reader for Alibaba's SSD failure tags (`ssd_failure_tag.csv` of alibaba-edu/dcbrain,
 * `ssd_open_data/`, the FAST'21 data set of Han et al.): one SMART snapshot per failed SSD, taken
 * at its failure time. Each row becomes its own one-sample `DeviceHistory` of an ATA SSD (so the
 * rule scorer answers for it) plus the row's anonymised tags.
 *
 * The file is not Backblaze's schema:
 * - `model` is an anonymised code (`A1`…`A6`, `B1`…`B3`, `C1`, `C2`); its letter is the
 *   anonymised vendor (three vendors). `DeviceIdentity.vendor` stays `unknown`: the letters name
 *   no real vendor, and a guessed one would pick vendor-specific raw decoding.
 * - `disk_id` indexes disks within a model (the same number recurs across models), so the devid is
 *   `<model>_<disk_id>`.
 * - `r_<id>` / `n_<id>` are raw / normalized values of attribute `<id>`; no thresholds, no
 *   attribute names, no overall health result.
 * - Alibaba merged attributes "with identical meanings but different IDs by vendor" into named
 *   fields (the data set's readme). Each is put at the first ID of its list, its name says so:
 *   `n_blocks` S170/S180 → 170, `r_`/`n_program` S171/S181 → 171, `r_`/`n_erase` S172/S182 → 172,
 *   `n_wearout` S173/S177/S233 → 173.
 * - `failure_time` is `YYYY-MM-DD HH:MM:SS` without a zone; it is read as UTC.
 * - `failure` is 1 on every row of the published file (0 would mark a healthy SSD); it becomes
 *   `sample.failure`, and a file without the column is read as all failed (it is the failure-tag file).
 *
 * A row without any SMART value (the file has 12) is kept, with a sample that has no attributes:
 * the scorer then says Unknown with its reason, and the caller can count it. A garbled row (wrong
 * field count, bad time, non-integer or negative SMART cell, missing model or disk id) is skipped
 * and reported through `onBadRow`, or thrown as a `SmartParseError` when `strict` is set.
 */
import { SmartParseError } from './errors.js';
import { backblazeReadError } from './backblazeCsv.js';
import { inIdOrder } from './ataAttributeMap.js';
import { readCsvLines } from './csvLines.js';
import { splitCsvLine } from './backblazeHeader.js';
import type { AtaAttribute, DeviceHistory, SmartSample } from './types.js';

/** Alibaba's merged fields → the attribute ID they are stored under, and the name that says what was merged. */
export const ALIBABA_MERGED_FIELDS: Readonly<Record<string, { id: number; name: string }>> = {
  blocks: { id: 170, name: 'Reserved_Blocks (Alibaba n_blocks: S170/S180 merged)' },
  program: { id: 171, name: 'Program_Fail_Count (Alibaba program: S171/S181 merged)' },
  erase: { id: 172, name: 'Erase_Fail_Count (Alibaba erase: S172/S182 merged)' },
  wearout: { id: 173, name: 'Wearout_Indicator (Alibaba n_wearout: S173/S177/S233 merged)' },
};

export interface AlibabaSsdSnapshot {
  /** one sample, at the failure time; `devid` = `<model>_<disk_id>` */
  history: DeviceHistory;
  /** anonymised drive model code, e.g. `C1` */
  model: string;
  /** anonymised vendor: the model code's letter */
  vendor: string;
  /** the application the drive served (`WSM`, `RM`, …, `none`) */
  app: string;
  diskId: string;
  nodeId?: string;
  rackId?: string;
  machineRoomId?: string;
  /** the row carried at least one SMART value */
  hasSmart: boolean;
  /** 1-based line in the file */
  line: number;
}

export interface AlibabaSsdBadRow {
  file: string;
  line: number;
  message: string;
}

export interface AlibabaSsdReadOptions {
  /** throw on the first garbled row instead of skipping it */
  strict?: boolean;
  /** called for each skipped row */
  onBadRow?: (bad: AlibabaSsdBadRow) => void;
}

interface SmartColumn {
  index: number;
  id: number;
  kind: 'raw' | 'normalized';
  name?: string;
}

interface AlibabaHeader {
  names: string[];
  width: number;
  model: number;
  failureTime: number;
  diskId: number;
  /** -1 when absent */
  failure: number;
  /** -1 when absent */
  app: number;
  nodeId: number;
  rackId: number;
  machineRoomId: number;
  smart: SmartColumn[];
}

function parseHeader(line: string, file: string): AlibabaHeader {
  const names = splitCsvLine(line.replace(/^\uFEFF/, '')).map((n) => n.trim());
  const at = (name: string): number => names.indexOf(name);
  const model = at('model');
  const failureTime = at('failure_time');
  const diskId = at('disk_id');
  if (model < 0 || failureTime < 0 || diskId < 0) {
    throw new SmartParseError('MISSING', 'header lacks model, failure_time or disk_id: not an Alibaba SSD failure-tag file', { file, line: 1 });
  }
  const smart: SmartColumn[] = [];
  names.forEach((name, index) => {
    const m = /^([rn])_([a-z0-9]+)$/.exec(name);
    if (!m) return;
    const kind = m[1] === 'r' ? 'raw' : 'normalized';
    const suffix = m[2]!;
    if (/^\d+$/.test(suffix)) {
      const id = Number(suffix);
      if (id >= 1 && id <= 255) smart.push({ index, id, kind });
      return;
    }
    const merged = ALIBABA_MERGED_FIELDS[suffix];
    // A merged field this reader does not know is left out rather than put at a guessed ID.
    if (merged) smart.push({ index, id: merged.id, kind, name: merged.name });
  });
  return {
    names,
    width: names.length,
    model,
    failureTime,
    diskId,
    failure: at('failure'),
    app: at('app'),
    nodeId: at('node_id'),
    rackId: at('rack_id'),
    machineRoomId: at('machine_room_id'),
    smart,
  };
}

/** `YYYY-MM-DD HH:MM:SS` (zone not stated: read as UTC) → ms since the epoch. */
export function parseAlibabaTime(cell: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(cell.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const t = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls 2018-02-30 over into March: a date that does not round-trip is no date.
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  return t;
}

/** A SMART cell: a non-negative integer (a trailing `.0` allowed); raw values above 2^53 stay exact as bigint. */
function parseCount(cell: string): number | bigint | undefined {
  const m = /^(\d+)(?:\.0+)?$/.exec(cell.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : BigInt(m[1]!);
}

function rowToSnapshot(line: string, header: AlibabaHeader, file: string, lineNo: number): AlibabaSsdSnapshot | string {
  const cells = splitCsvLine(line);
  if (cells.length !== header.width) return `expected ${header.width} fields, found ${cells.length}`;
  const model = cells[header.model]!.trim();
  if (model === '') return 'empty model';
  const diskId = cells[header.diskId]!.trim();
  if (diskId === '') return 'empty disk_id';
  const time = parseAlibabaTime(cells[header.failureTime]!);
  if (time === undefined) return `bad failure_time "${cells[header.failureTime]}"`;
  let failure = true;
  if (header.failure >= 0) {
    const f = cells[header.failure]!.trim();
    if (f === '0') failure = false;
    else if (f !== '1') return `bad failure value "${f}"`;
  }
  const ata = new Map<number, AtaAttribute>();
  let any = false;
  for (const col of header.smart) {
    const cell = cells[col.index]!.trim();
    if (cell === '') continue;
    const v = parseCount(cell);
    if (v === undefined) return `${header.names[col.index]} is not a non-negative integer: "${cell}"`;
    let attr = ata.get(col.id);
    if (attr === undefined) {
      attr = { id: col.id };
      if (col.name !== undefined) attr.name = col.name;
      ata.set(col.id, attr);
    }
    if (col.kind === 'raw') attr.raw = v;
    else {
      // A normalized value is a small number (≤ 255 on the wire, 200 for some vendors' 195).
      if (typeof v !== 'number' || v > 255) return `${header.names[col.index]} is not a normalized value (0–255): "${cell}"`;
      attr.value = v;
    }
    any = true;
  }
  const sample: SmartSample = {
    device: { model, serial: diskId, vendor: 'unknown', protocol: 'ata', ssd: true, rotationRate: 0 },
    time,
    failure,
    source: { file, line: lineNo, format: 'alibaba-ssd' },
  };
  if (any) {
    sample.ata = inIdOrder(ata);
    const poh = ata.get(9)?.raw;
    if (typeof poh === 'number') sample.powerOnHours = poh;
  }
  const snapshot: AlibabaSsdSnapshot = {
    history: { devid: `${model}_${diskId}`, samples: [sample], errors: [] },
    model,
    vendor: model.charAt(0),
    app: header.app >= 0 ? cells[header.app]!.trim() : '',
    diskId,
    hasSmart: any,
    line: lineNo,
  };
  const tag = (index: number): string | undefined => (index >= 0 && cells[index]!.trim() !== '' ? cells[index]!.trim() : undefined);
  const nodeId = tag(header.nodeId);
  const rackId = tag(header.rackId);
  const machineRoomId = tag(header.machineRoomId);
  if (nodeId !== undefined) snapshot.nodeId = nodeId;
  if (rackId !== undefined) snapshot.rackId = rackId;
  if (machineRoomId !== undefined) snapshot.machineRoomId = machineRoomId;
  return snapshot;
}

/** Reads snapshots from lines already split (a file's, or text in memory); `file` names them in errors. */
export async function* readAlibabaSsdLines(
  lines: AsyncIterable<string> | Iterable<string>,
  file: string,
  options: AlibabaSsdReadOptions = {},
): AsyncGenerator<AlibabaSsdSnapshot> {
  let header: AlibabaHeader | undefined;
  let lineNo = 0;
  try {
    for await (const line of lines) {
      lineNo++;
      if (header === undefined) {
        header = parseHeader(line, file);
        continue;
      }
      if (line.trim().length === 0) continue;
      const result = rowToSnapshot(line, header, file, lineNo);
      if (typeof result === 'string') {
        if (options.strict) throw new SmartParseError('FORMAT', result, { file, line: lineNo });
        options.onBadRow?.({ file, line: lineNo, message: result });
        continue;
      }
      yield result;
    }
  } catch (err) {
    throw backblazeReadError(err, file, lineNo);
  }
  if (header === undefined) throw new SmartParseError('EMPTY', 'no header line', { file });
}

/** Streams one Alibaba SSD failure-tag file (plain or .gz), one snapshot per well-formed row, in file order. */
export async function* streamAlibabaSsdRows(file: string, options: AlibabaSsdReadOptions = {}): AsyncGenerator<AlibabaSsdSnapshot> {
  yield* readAlibabaSsdLines(readCsvLines(file), file, options);
}
