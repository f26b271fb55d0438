/**
 * Groups an unsorted stream of samples by drive with bounded memory: samples are appended, by a
 * hash of the drive key, to one of N temporary partition files (msgpack, each record framed as
 * key length, key, sample length, sample), then each partition is read back and grouped as raw
 * bytes; a drive's samples are decoded only when that drive is handed out. Peak memory is about one
 * partition's bytes (≈ encoded input / N) plus one drive's decoded samples, whatever the row order
 * of the source files. (Decoded samples weigh ~10x their encoding, so grouping decoded partitions
 * would not be bounded in practice.)
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Packr } from 'msgpackr';
import { ataAttributesFromObject } from '../smart/ataAttributeMap.js';
import type { AtaAttribute, SmartSample } from '../smart/types.js';

// Bigints (raw values above 2^53) must come back as bigints; numbers stay numbers.
const packr = new Packr({ useRecords: false, int64AsType: 'bigint', useBigIntExtension: true });

/** msgpack maps come back as objects: `ata` is made a Map by id again. */
function unpackSample(bytes: Buffer): SmartSample {
  const sample = packr.unpack(bytes) as SmartSample;
  const ata = sample.ata as unknown as Record<number, AtaAttribute> | undefined;
  if (ata !== undefined) sample.ata = ataAttributesFromObject(ata);
  return sample;
}

const FLUSH_BYTES = 256 << 10;

function hashKey(key: string): number {
  let h = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class PartitionSpill {
  private readonly dir: string;
  private readonly fds: number[];
  private readonly buffers: Buffer[][];
  private readonly bufferedBytes: number[];
  private closed = false;
  rows = 0;

  constructor(readonly partitions: number, parentDir = tmpdir()) {
    this.dir = mkdtempSync(join(parentDir, 'diskpredict-spill-'));
    this.fds = Array.from({ length: partitions }, (_, i) => openSync(join(this.dir, `p${i}.msgpack`), 'w'));
    this.buffers = Array.from({ length: partitions }, () => []);
    this.bufferedBytes = new Array<number>(partitions).fill(0);
  }

  add(key: string, sample: SmartSample): void {
    const p = hashKey(key) % this.partitions;
    const keyBytes = Buffer.from(key, 'utf8');
    const body = packr.pack(sample);
    const frame = Buffer.allocUnsafe(8 + keyBytes.length);
    frame.writeUInt32LE(keyBytes.length, 0);
    keyBytes.copy(frame, 4);
    frame.writeUInt32LE(body.length, 4 + keyBytes.length);
    // pack() returns a view of a reused buffer: copy it before the next pack.
    const record = Buffer.concat([frame, body]);
    this.buffers[p]!.push(record);
    this.bufferedBytes[p]! += record.length;
    this.rows++;
    if (this.bufferedBytes[p]! >= FLUSH_BYTES) this.flush(p);
  }

  private flush(p: number): void {
    const chunk = Buffer.concat(this.buffers[p]!);
    writeSync(this.fds[p]!, chunk);
    this.buffers[p] = [];
    this.bufferedBytes[p] = 0;
  }

  /**
   * Yields every drive as (key, samples in arrival order): partition by partition, keys sorted
   * within a partition. `onPartition(done, total)` runs after each partition.
   */
  *drives(onPartition?: (done: number, total: number) => void): Generator<[string, SmartSample[]]> {
    if (!this.closed) {
      for (let p = 0; p < this.partitions; p++) {
        this.flush(p);
        closeSync(this.fds[p]!);
      }
      this.closed = true;
    }
    for (let p = 0; p < this.partitions; p++) {
      const file = join(this.dir, `p${p}.msgpack`);
      const groups = groupRecords(readFileSync(file));
      rmSync(file); // free the disk as we go
      for (const key of [...groups.keys()].sort()) {
        yield [key, groups.get(key)!.map(unpackSample)];
        groups.delete(key);
      }
      onPartition?.(p + 1, this.partitions);
    }
  }

  dispose(): void {
    if (!this.closed) {
      for (const fd of this.fds) closeSync(fd);
      this.closed = true;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A partition file's records grouped by key, as views into the file's bytes. */
function groupRecords(bytes: Buffer): Map<string, Buffer[]> {
  const groups = new Map<string, Buffer[]>();
  for (let at = 0; at < bytes.length; ) {
    const keyLength = bytes.readUInt32LE(at);
    const key = bytes.toString('utf8', at + 4, at + 4 + keyLength);
    const bodyLength = bytes.readUInt32LE(at + 4 + keyLength);
    const bodyStart = at + 8 + keyLength;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(bytes.subarray(bodyStart, bodyStart + bodyLength));
    at = bodyStart + bodyLength;
  }
  return groups;
}
