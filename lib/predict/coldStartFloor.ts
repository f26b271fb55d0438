/**
 * A drive first seen with hundreds of bad sectors is not Good. The trees learnt failure mostly from counters
 * that grow, and on a history of a few days nothing has grown yet: a one-day drive with 1,000 reallocated
 * sectors scores p42 ≈ 0.26 under model 1.1.0, under its Warning threshold. Until the history spans
 * COLD_START_DAYS, Σ raw 5/197/198 (reallocated, pending, offline uncorrectable) ≥ COLD_START_SECTORS makes a
 * Good verdict Warning: "watch it until its history shows whether they grow".
 *
 * The cut-off, on the first day of healthy drives in the shared data (2019 last-day snapshots, 2013 histories,
 * ST12000NM0008 controls): ≥ 200 flags 0.1–0.5 % of most models' healthy drives, 1.3–1.6 % of Toshiba
 * MQ01ABF050 and ST3000DM001, 4.5 % of ST31500541AS (an old model known for reallocating), within the 2 %
 * Warning budget for all but that one; and 30–47 % of the 8 TB Seagates' failure days, 11 % of Toshiba's.
 * At ≥ 100, ST31500541AS would reach 6.4 % and ST3000DM001 1.7 %. At 300–500 (tried for model 1.2.0) each 8 TB
 * Seagate model loses a Bad-or-Warning failure among its validation drives, and the floor's marginal first days
 * (200–499) are failures about as often as healthy drives (docs/model.md).
 */
import type { HistoryColumns } from '../features/columnsFromHistory.js';
import { FEATURE_ATTRIBUTES } from '../features/featurizeColumns.js';

export const COLD_START_DAYS = 7;
export const COLD_START_SECTORS = 200;
const SLOTS = [5, 197, 198].map((id) => FEATURE_ATTRIBUTES.indexOf(id));

/** Σ raw 5/197/198 on row i; NaN when none of them is reported that day. */
export function badSectorsOn(cols: HistoryColumns, i: number): number {
  let sum = 0;
  let any = false;
  for (const a of SLOTS) {
    const v = cols.raw[a]![i]!;
    if (v === v && v >= 0) {
      sum += v;
      any = true;
    }
  }
  return any ? sum : NaN;
}

/** True when row i is within the first days and its bad-sector count reaches the floor. */
export function coldStartFloorApplies(cols: HistoryColumns, i: number): boolean {
  return cols.days[i]! - cols.days[0]! < COLD_START_DAYS && badSectorsOn(cols, i) >= COLD_START_SECTORS;
}
