/**
 * The `--data` arguments → one stream of (drive key, sample). A `.csv`/`.csv.gz` is a Backblaze
 * Drive Stats file, keyed by serial number (Backblaze's own key, which its labels follow); a
 * directory is read entry by entry (Ceph devicehealth dumps or smartctl documents as `.json`/
 * `.json.gz`, Backblaze files as above); any other file goes through `readSmartFile`'s detection.
 * JSON drives are keyed by devid (deviceId.ts); files that share a devid but cannot be one drive
 * (DeviceChains) are kept as separate drives and tallied.
 * A file that cannot be read is counted as skipped, never fatal.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { streamBackblazeRows } from '../smart/backblazeCsv.js';
import { readCsvLines } from '../smart/csvLines.js';
import { parseBackblazeHeader } from '../smart/backblazeHeader.js';
import { isBackblazeFileName } from '../smart/detectFormat.js';
import { DeviceChains } from '../smart/deviceChains.js';
import { historyDeviceId } from '../smart/deviceId.js';
import { readSmartFile } from '../smart/readSmartFile.js';
import type { SmartSample } from '../smart/types.js';
import type { IssueTally } from './issueTally.js';

export interface KeyedSample {
  key: string;
  sample: SmartSample;
}

export interface InputOptions {
  /** evaluation needs labels: a file without a `failure` column is skipped */
  requireLabels: boolean;
  tally: IssueTally;
  /** called after each file with (files done, files in all) */
  onFile?: (done: number, total: number, file: string) => void;
}

const SMART_JSON = /\.json(\.gz)?$/i;

/** Expands directories (one level, sorted) into the files to read. */
export function expandInputs(paths: readonly string[], tally: IssueTally): string[] {
  const files: string[] = [];
  for (const path of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch (err) {
      tally.add('skipped', `cannot read input (${(err as NodeJS.ErrnoException).code ?? 'error'})`, 'files', path);
      continue;
    }
    if (!isDir) {
      files.push(path);
      continue;
    }
    const entries = readdirSync(path)
      .filter((name) => SMART_JSON.test(name) || isBackblazeFileName(name))
      .sort();
    if (entries.length === 0) tally.add('skipped', 'directory without .json/.csv files', 'files', path);
    files.push(...entries.map((name) => join(path, name)));
  }
  return files;
}

async function hasFailureColumn(file: string): Promise<boolean> {
  for await (const line of readCsvLines(file)) return parseBackblazeHeader(line, file).failure >= 0;
  return false;
}

async function* backblazeSamples(file: string, options: InputOptions): AsyncGenerator<KeyedSample> {
  if (options.requireLabels && !(await hasFailureColumn(file))) {
    options.tally.add('skipped', 'Backblaze file without a failure column (no labels)', 'files', file);
    return;
  }
  const onBadRow = (bad: { line: number; message: string }): void =>
    options.tally.add('skipped', 'malformed CSV row', 'rows', `${basename(file)}:${bad.line} ${bad.message}`);
  for await (const sample of streamBackblazeRows(file, { onBadRow })) yield { key: sample.device.serial ?? '', sample };
}

async function* jsonSamples(file: string, options: InputOptions, chains: DeviceChains): AsyncGenerator<KeyedSample> {
  const contents = await readSmartFile(file);
  const keyed: KeyedSample[] = [];
  if (options.requireLabels && contents.format !== 'backblaze') {
    options.tally.add('skipped', `${contents.format} file has no failure labels`, 'files', file);
    return;
  }
  contents.histories.forEach((history, i) => {
    const devid = historyDeviceId(history);
    // No identity: a drive of its own, named by its file (never merged with another).
    const fallback = contents.histories.length > 1 ? `${basename(file)}#${i + 1}` : basename(file);
    const placed = devid !== undefined ? chains.place(devid, history.samples, file) : { key: fallback };
    if (placed.conflict) {
      const c = placed.conflict;
      options.tally.add('handled', 'files sharing a devid with a drive they cannot be (kept as a separate drive)', 'files', `${basename(file)} → ${c.keptAs}: ${c.message}`);
    }
    keyed.push(...history.samples.map((sample) => ({ key: placed.key, sample })));
  });
  yield* keyed;
  for (const history of contents.histories) {
    if (history.errors.length > 0) {
      options.tally.add('skipped', 'devicehealth entry without SMART data', 'samples', `${basename(file)} ${history.errors[0]!.message}`, history.errors.length);
    }
  }
}

export async function* readInputs(paths: readonly string[], options: InputOptions): AsyncGenerator<KeyedSample> {
  const files = expandInputs(paths, options.tally);
  const chains = new DeviceChains();
  for (const [i, file] of files.entries()) {
    try {
      yield* isBackblazeFileName(file) ? backblazeSamples(file, options) : jsonSamples(file, options, chains);
    } catch (err) {
      // Rows read before a truncation stay in; the rest of the file is reported.
      options.tally.add('skipped', 'unreadable file (or rest of it)', 'files', `${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    options.onFile?.(i + 1, files.length, file);
  }
}
