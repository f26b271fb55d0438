/**
 * Training rows from loaded drives: every row of a failed drive up to its failure day, and every
 * `healthyStride`-th day of a healthy drive (a day chosen by a hash of the serial, so consecutive
 * near-identical days do not dominate), minus the censored tail. Features come from
 * featurizeColumns over the whole drive history, so row d only ever sees days ≤ d.
 */
import type { GbdtDataset } from '../models/gbdt/index.js';
import type { BackblazeDrive } from '../smart/backblazeColumns.js';
import { columnsFromBackblazeDrive } from '../features/columnsFromBackblaze.js';
import { FEATURE_COUNT, FEATURE_NAMES } from '../features/featurizeColumns.js';
import { featurizeColumns } from '../native/index.js'; // the addon when built, else the TypeScript function
import { CENSOR_DAYS, HORIZON_P14, HORIZON_P42, labelFor, p14Weight, QUIET_POSITIVE_WEIGHT } from './labels.js';
import { serialBucket } from '../evaluate/driveSplit.js';

export interface TrainingDrive {
  drive: BackblazeDrive;
  /** last day present in the drive's file (censoring reference) */
  fileLastDay: number;
  /**
   * from a snapshots file: every day is kept and nothing is censored (the days are each drive's last or
   * isolated ones, so censoring would drop every healthy row)
   */
  snapshot?: boolean;
}

export interface TrainingRows {
  x: Float32Array;
  nRows: number;
  nFeatures: number;
  y14: Uint8Array;
  y42: Uint8Array;
  /** p14 head training row weights (0 in the gray zone, quiet positives down-weighted; see labels.ts) */
  w14: Float32Array;
  /** p14 head calibration row weights (0 in the gray zone, else 1) */
  c14: Float32Array;
}

const ERROR_RAW_SUM = FEATURE_NAMES.indexOf('error_raw_sum');

/** Training keeps every k-th day of a healthy drive (every day of a failed one). */
export const DEFAULT_HEALTHY_STRIDE = 2;

export function headDataset(rows: TrainingRows, which: 'p14' | 'p42'): GbdtDataset {
  if (which === 'p14') return { x: rows.x, nRows: rows.nRows, nFeatures: rows.nFeatures, y: rows.y14, weight: rows.w14 };
  return { x: rows.x, nRows: rows.nRows, nFeatures: rows.nFeatures, y: rows.y42 };
}

function keptRows(t: TrainingDrive, healthyStride: number): number[] {
  const { drive } = t;
  const out: number[] = [];
  if (drive.failDay >= 0 || t.snapshot === true) {
    for (let i = 0; i < drive.days.length; i++) out.push(i);
    return out;
  }
  const offset = Math.floor(serialBucket(drive.serial, 0, 'diskpredict-rows') * healthyStride);
  for (let i = 0; i < drive.days.length; i++) {
    const d = drive.days[i]!;
    if (d > t.fileLastDay - CENSOR_DAYS) break;
    if ((d + offset) % healthyStride === 0) out.push(i);
  }
  return out;
}

export function buildTrainingRows(drives: readonly TrainingDrive[], healthyStride: number, quietPositiveWeight = QUIET_POSITIVE_WEIGHT): TrainingRows {
  const kept = drives.map((t) => keptRows(t, healthyStride));
  const nRows = kept.reduce((s, k) => s + k.length, 0);
  const F = FEATURE_COUNT;
  const x = new Float32Array(nRows * F);
  const y14 = new Uint8Array(nRows);
  const y42 = new Uint8Array(nRows);
  const w14 = new Float32Array(nRows);
  const c14 = new Float32Array(nRows);
  let r = 0;
  let matrix = new Float64Array(0);
  drives.forEach((t, k) => {
    const rows = kept[k]!;
    if (rows.length === 0) return;
    const n = t.drive.days.length;
    if (matrix.length < n * F) matrix = new Float64Array(n * F);
    featurizeColumns(columnsFromBackblazeDrive(t.drive), matrix);
    for (const i of rows) {
      x.set(matrix.subarray(i * F, (i + 1) * F), r * F);
      const day = t.drive.days[i]!;
      y14[r] = labelFor(day, t.drive.failDay, HORIZON_P14);
      y42[r] = labelFor(day, t.drive.failDay, HORIZON_P42);
      c14[r] = p14Weight(day, t.drive.failDay);
      const quiet = y14[r] === 1 && !(matrix[i * F + ERROR_RAW_SUM]! > 0);
      w14[r] = quiet ? c14[r]! * quietPositiveWeight : c14[r]!;
      r++;
    }
  });
  return { x, nRows, nFeatures: F, y14, y42, w14, c14 };
}
