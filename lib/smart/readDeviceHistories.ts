/**
 * Files or directories of SMART data, of one device or many → one history per device. Directories
 * are read recursively (sorted, hidden entries skipped); files are read concurrently, a bounded
 * number at a time, so that opening many small files does not serialise on the disk (or, with
 * `blocking`, each with blocking calls: cheaper in CPU for a command that has nothing else to do). Pieces of
 * the same device (smartctl snapshots from several days, Ceph dumps exported at several times) are
 * merged by devid (see deviceId.ts); pieces that share a devid but cannot be one device are kept
 * apart and reported (see deviceChains.ts). A file that cannot be read is reported in `failures`
 * and the rest is still read.
 */
import { readdirSync, statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { historyDeviceId } from './deviceId.js';
import { DeviceChains, type IdentityConflict } from './deviceChains.js';
import { readSmartFile, readSmartJsonText, type SmartFileContents, type SmartReadOptions } from './readSmartFile.js';
import type { DeviceHistory } from './types.js';

/** A path (file or directory), or text already read (e.g. stdin) with the name to show for it. */
export type SmartInput = string | { name: string; text: string };

export interface ReadDeviceHistoriesOptions extends SmartReadOptions {
  /** files read at once (default 16): enough to keep the disk and the parser busy, few file descriptors */
  concurrency?: number;
}

export interface InputFailure {
  /** the file or directory */
  file: string;
  /** one line: why it was skipped */
  message: string;
  error: unknown;
}

export interface ReadDevice {
  /** the devid (`<devid>#n` when kept apart after an IdentityConflict), or the file for a device without identity */
  name: string;
  history: DeviceHistory;
  /** the files its samples came from */
  files: string[];
}

export interface DeviceHistories {
  /** in the order their first file was given */
  devices: ReadDevice[];
  failures: InputFailure[];
  conflicts: IdentityConflict[];
}

export const DEFAULT_READ_CONCURRENCY = 16;

/**
 * Files under `paths`: directories expanded recursively, entries sorted, hidden ones skipped. `blocking`: with
 * blocking calls, as `SmartReadOptions.blocking` reads the files.
 */
export async function expandSmartPaths(paths: readonly string[], options: { blocking?: boolean } = {}): Promise<{ files: string[]; failures: InputFailure[] }> {
  const fs = options.blocking === true ? { stat: async (p: string) => statSync(p), readdir: async (p: string) => readdirSync(p, { withFileTypes: true }) } : { stat, readdir: (p: string) => readdir(p, { withFileTypes: true }) };
  const files: string[] = [];
  const failures: InputFailure[] = [];
  // Directories already walked, by device and inode: a symlink back up the tree would otherwise walk for ever.
  const walked = new Set<string>();
  const visit = async (path: string, isDirectory: boolean | undefined): Promise<void> => {
    try {
      // Directory entries say their type; only top-level paths and symlinks need a stat to find out.
      const dir = isDirectory ?? (await fs.stat(path)).isDirectory();
      if (!dir) {
        files.push(path);
        return;
      }
      const { dev, ino } = await fs.stat(path);
      const key = `${dev}:${ino}`;
      if (walked.has(key)) {
        failures.push({ file: path, message: `${path}: skipped: a directory already read (a symlink loop or a second link to it)`, error: new Error('directory already read') });
        return;
      }
      walked.add(key);
      const entries = (await fs.readdir(path)).filter((e) => !e.name.startsWith('.'));
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const e of entries) await visit(join(path, e.name), e.isSymbolicLink() ? undefined : e.isDirectory());
    } catch (err) {
      failures.push({ file: path, message: `${path}: cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, error: err });
    }
  };
  for (const p of paths) await visit(p, undefined);
  return { files, failures };
}

export async function readDeviceHistories(inputs: SmartInput | readonly SmartInput[], options: ReadDeviceHistoriesOptions = {}): Promise<DeviceHistories> {
  const list: readonly SmartInput[] = typeof inputs === 'string' || !Array.isArray(inputs) ? [inputs as SmartInput] : inputs;
  const failures: InputFailure[] = [];
  const sources: SmartInput[] = [];
  for (const input of list) {
    if (typeof input !== 'string') {
      sources.push(input);
      continue;
    }
    const expanded = await expandSmartPaths([input], { blocking: options.blocking === true });
    sources.push(...expanded.files);
    failures.push(...expanded.failures);
  }
  const read = await readConcurrently(sources, options);
  const devices = new Map<string, ReadDevice>();
  const chains = new DeviceChains();
  const conflicts: IdentityConflict[] = [];
  const merged = new Set<ReadDevice>();
  read.forEach((result, i) => {
    const input = sources[i]!;
    const file = typeof input === 'string' ? input : input.name;
    if (!('histories' in result)) {
      failures.push({ file, message: errorLine(result.error), error: result.error });
      return;
    }
    result.histories.forEach((h, j) => {
      const devid = historyDeviceId(h);
      let name: string;
      if (devid === undefined) name = result.histories.length > 1 ? `${file}#${j + 1}` : file;
      else {
        const placed = chains.place(devid, h.samples, file);
        name = placed.key;
        if (placed.conflict) conflicts.push(placed.conflict);
      }
      const seen = devices.get(name);
      if (!seen) {
        const history: DeviceHistory = { samples: [...h.samples], errors: [...h.errors] };
        if (devid !== undefined) history.devid = name;
        devices.set(name, { name, history, files: [file] });
        return;
      }
      seen.history.samples.push(...h.samples);
      seen.history.errors.push(...h.errors);
      if (!seen.files.includes(file)) seen.files.push(file);
      merged.add(seen);
    });
  });
  // A history read from one piece is already in time order; merged ones are sorted once here.
  for (const d of merged) {
    d.history.samples.sort((a, b) => a.time - b.time);
    d.history.errors.sort((a, b) => a.time - b.time);
  }
  return { devices: [...devices.values()], failures, conflicts };
}

function errorLine(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Reads every source, at most `concurrency` at once; results in the order of `sources`. */
async function readConcurrently(sources: readonly SmartInput[], options: ReadDeviceHistoriesOptions): Promise<(SmartFileContents | { error: unknown })[]> {
  const results = new Array<SmartFileContents | { error: unknown }>(sources.length);
  const { concurrency, ...readOptions }: ReadDeviceHistoriesOptions = options;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < sources.length) {
      const i = next++;
      const input = sources[i]!;
      try {
        results[i] = typeof input === 'string' ? await readSmartFile(input, readOptions) : readSmartJsonText(input.text, input.name, readOptions);
      } catch (err) {
        results[i] = { error: err };
      }
    }
  };
  const width = Math.max(1, Math.min(concurrency ?? DEFAULT_READ_CONCURRENCY, sources.length));
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}
