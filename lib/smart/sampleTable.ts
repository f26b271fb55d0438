/** The short human table `diskpredict parse` prints without --json: one row per sample. */
import type { SmartSample } from './types.js';
import { isoTime } from '../util/utcTime.js';

const COLUMNS = [
  ['TIME', 20],
  ['PROTO', 5],
  ['VENDOR', 8],
  ['MODEL', 28],
  ['SERIAL', 20],
  ['HEALTH', 6],
  ['POH', 7],
  ['TEMP', 4],
] as const;

// The counters an operator looks at first, per protocol.
const ATA_INDICATORS = [5, 187, 188, 197, 198];

function cell(text: string, width: number): string {
  return text.length > width ? text.slice(0, width - 1) + '…' : text.padEnd(width);
}

export function sampleTableHeader(): string {
  return COLUMNS.map(([name, width]) => cell(name, width)).join(' ') + ' INDICATORS';
}

export function formatSampleRow(s: SmartSample): string {
  const time = Number.isFinite(s.time) ? isoTime(s.time) : '-';
  const health = s.healthPassed === undefined ? '-' : s.healthPassed ? 'PASSED' : 'FAILED';
  const values = [
    time,
    s.device.protocol ?? '-',
    s.device.vendor,
    s.device.model ?? '-',
    s.device.serial ?? '-',
    health,
    s.powerOnHours?.toString() ?? '-',
    s.temperatureC?.toString() ?? '-',
  ];
  return values.map((v, i) => cell(v, COLUMNS[i]![1])).join(' ') + ' ' + indicators(s);
}

function indicators(s: SmartSample): string {
  const parts: string[] = [];
  if (s.ata) {
    for (const id of ATA_INDICATORS) {
      const a = s.ata.get(id);
      if (a && (a.decoded ?? a.raw) !== undefined) parts.push(`${id}=${String(a.decoded ?? a.raw)}`);
    }
    for (const a of s.ata.values()) if (a.whenFailed) parts.push(`${a.id}:FAILING_${a.whenFailed.toUpperCase()}`);
  }
  if (s.nvme) {
    const n = s.nvme;
    if (n.criticalWarning && n.criticalWarning.raw !== 0) parts.push(`cw=0x${n.criticalWarning.raw.toString(16).padStart(2, '0')}`);
    if (n.availableSpare !== undefined) parts.push(`spare=${n.availableSpare}%`);
    if (n.percentageUsed !== undefined) parts.push(`used=${n.percentageUsed}%`);
    if (n.mediaErrors !== undefined) parts.push(`media_err=${String(n.mediaErrors)}`);
  }
  if (s.scsi) {
    const c = s.scsi;
    if (c.grownDefects !== undefined) parts.push(`grown_defects=${c.grownDefects}`);
    for (const dir of ['read', 'write', 'verify'] as const) {
      const u = c[dir]?.uncorrected;
      if (u !== undefined) parts.push(`${dir}_unc=${String(u)}`);
    }
  }
  if (s.failure) parts.push('FAILURE_DAY');
  if (s.warnings?.length) parts.push(`warnings=${s.warnings.length}`);
  return parts.join(' ');
}
