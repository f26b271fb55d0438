/**
 * `diskpredict score`: one causal prediction per drive-day, written as CSV
 * `serial_number,date,p14,p42,status,reason` (`reason`: why the day is Unknown, empty otherwise).
 * Memory is bounded by one spill partition plus one drive.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Predictor } from '../predict/types.js';
import { driveStreamProgress, streamDrives, type DriveStreamOptions } from './driveStream.js';
import { IssueTally } from './issueTally.js';
import { ProgressBar } from '../util/progressBar.js';
import { utcDate } from '../util/utcTime.js';
import { scoreEachDay } from './scoreEachDay.js';

export const SCORE_COLUMNS = 'serial_number,date,p14,p42,status,reason';

/** For a predictor that gives Unknown without saying why (ours always say). */
export const NO_REASON_GIVEN = 'the predictor gave no reason';

/** Distinct Unknown reasons counted; the rest are summed under the last entry. */
const MAX_REASON_KINDS = 20;

export interface ScoreRunOptions extends Partial<Pick<DriveStreamOptions, 'partitions' | 'tmpDir'>> {
  progress?: ProgressBar;
}

export interface ScoreRunResult {
  drives: number;
  driveDays: number;
  unknownDays: number;
  /** why days were Unknown, most frequent first */
  unknownReasons: { reason: string; count: number }[];
  tally: IssueTally;
}

function csvNumber(v: number | null): string {
  return v === null || !Number.isFinite(v) ? '' : String(v);
}

/** Serial numbers are free text: quote when a comma, quote or newline would break the row. */
function csvText(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export async function runScore(paths: readonly string[], predictor: Predictor, outFile: string, options: ScoreRunOptions = {}): Promise<ScoreRunResult> {
  const tally = new IssueTally();
  const progress = options.progress ?? new ProgressBar();
  const fd = openSync(outFile, 'w');
  let chunk: string[] = [SCORE_COLUMNS];
  let chunkLength = 0;
  const flush = (): void => {
    if (chunk.length > 0) writeSync(fd, chunk.join('\n') + '\n');
    chunk = [];
    chunkLength = 0;
  };
  const result: ScoreRunResult = { drives: 0, driveDays: 0, unknownDays: 0, unknownReasons: [], tally };
  const reasons = new Map<string, number>();
  try {
    const drives = streamDrives(paths, {
      requireLabels: false,
      tally,
      ...(options.partitions !== undefined ? { partitions: options.partitions } : {}),
      ...(options.tmpDir !== undefined ? { tmpDir: options.tmpDir } : {}),
      ...driveStreamProgress(progress, () => result.drives),
    });
    for await (const drive of drives) {
      result.drives++;
      progress.detail(`${result.drives} drives`);
      const serial = csvText(drive.serial);
      for (const day of scoreEachDay(predictor, drive.history)) {
        const date = utcDate(day.time);
        let why = '';
        if (day.status === 'Unknown') {
          result.unknownDays++;
          why = day.reason ?? NO_REASON_GIVEN;
          const key = reasons.has(why) || reasons.size < MAX_REASON_KINDS - 1 ? why : 'other reasons';
          reasons.set(key, (reasons.get(key) ?? 0) + 1);
        }
        const line = `${serial},${date},${csvNumber(day.p14)},${csvNumber(day.p42)},${day.status},${csvText(why)}`;
        chunk.push(line);
        chunkLength += line.length;
        result.driveDays++;
      }
      if (chunkLength > 1 << 20) flush();
    }
    flush();
    result.unknownReasons = [...reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count);
  } finally {
    closeSync(fd);
    progress.done();
  }
  return result;
}
