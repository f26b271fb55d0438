/**
 * Input files → one clean history per drive, whatever the row order, in bounded memory (see
 * PartitionSpill). Drives come out partition by partition, by serial within a partition.
 */
import { assembleDrive, type DriveHistory } from './driveHistory.js';
import { readInputs, type InputOptions } from './dataInputs.js';
import { PartitionSpill } from './partitionSpill.js';

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
