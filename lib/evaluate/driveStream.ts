/**
 * Input files → one clean history per drive, whatever the row order, in bounded memory (see
 * PartitionSpill). Drives come out partition by partition, by serial within a partition.
 */
import { assembleDrive, type DriveHistory } from './driveHistory.js';
import { readInputs, type InputOptions } from './dataInputs.js';
import { PartitionSpill } from './partitionSpill.js';
import type { ProgressBar } from '../util/progressBar.js';

export interface DriveStreamOptions extends InputOptions {
  /** number of spill partitions; memory ≈ input / partitions. Default 32. */
  partitions?: number;
  tmpDir?: string;
  /** called after each partition with (partitions done, partitions in all) */
  onPartition?: (done: number, total: number) => void;
  /** called every 10,000 rows read, with the count so far */
  onRows?: (rows: number) => void;
}

/**
 * A drive is scored from all its rows at once, a few kB each: a file of 1 M rows of one drive took 6.6 GB. One row a
 * day for 55 years is far beyond any drive's life (Backblaze's oldest drives have ~4,000 days; Ceph scrapes daily),
 * so a drive with more rows than this is not a drive's history: its rows past the limit are not kept, and it is
 * reported and left out.
 */
export const MAX_ROWS_PER_DRIVE = 20_000;

export async function* streamDrives(paths: readonly string[], options: DriveStreamOptions): AsyncGenerator<DriveHistory> {
  const spill = new PartitionSpill(options.partitions ?? 32, options.tmpDir);
  const rowsByDrive = new Map<string, number>();
  try {
    for await (const { key, sample } of readInputs(paths, options)) {
      const n = (rowsByDrive.get(key) ?? 0) + 1;
      rowsByDrive.set(key, n);
      if (n > MAX_ROWS_PER_DRIVE) continue;
      spill.add(key, sample);
      if (spill.rows % 10_000 === 0) options.onRows?.(spill.rows);
    }
    for (const [serial, rows] of spill.drives(options.onPartition)) {
      const n = rowsByDrive.get(serial)!;
      if (n > MAX_ROWS_PER_DRIVE) {
        options.tally.add('skipped', `drive with more than ${MAX_ROWS_PER_DRIVE.toLocaleString('en-US')} rows (55 years of daily rows): not a drive's history, not scored`, 'drives', `${serial}: ${n.toLocaleString('en-US')} rows`);
        continue;
      }
      yield assembleDrive(serial, rows, options.tally);
    }
  } finally {
    spill.dispose();
  }
}

/** The progress callbacks `score` and `evaluate` both give streamDrives: reading by file and rows, then scoring. */
export function driveStreamProgress(
  progress: ProgressBar,
  drivesSoFar: () => number,
): Pick<DriveStreamOptions, 'onFile' | 'onRows' | 'onPartition'> {
  let filesDone = 0;
  let filesTotal = 1;
  return {
    onFile: (done, total, file) => {
      filesDone = done;
      filesTotal = total;
      progress.update('reading', done / total, `${file.split('/').pop()} done`, true);
    },
    onRows: (rows) => progress.update('reading', filesDone / filesTotal, `${rows.toLocaleString('en-US')} rows`),
    onPartition: (done, total) => progress.update('scoring', done / total, `${drivesSoFar()} drives`, true),
  };
}
