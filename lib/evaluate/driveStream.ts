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

export async function* streamDrives(paths: readonly string[], options: DriveStreamOptions): AsyncGenerator<DriveHistory> {
  const spill = new PartitionSpill(options.partitions ?? 32, options.tmpDir);
  try {
    for await (const { key, sample } of readInputs(paths, options)) {
      spill.add(key, sample);
      if (spill.rows % 10_000 === 0) options.onRows?.(spill.rows);
    }
    for (const [serial, rows] of spill.drives(options.onPartition)) yield assembleDrive(serial, rows, options.tally);
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
