/**
 * Ceph's pickles parsed once per user, not once per run: the first load of a Ceph model folder writes what it
 * parsed, in the `import-ceph-models` format (convertedFormat.ts: JSON + little-endian arrays, checked against
 * their sha256 when read), to `<cache>/ceph-models/<hash of the folder's path>/`; later loads read
 * that instead while the folder is as it was. Parsing the 27 MB of ProphetStor pickles was most of a
 * `--model prophetstor` run's model loading.
 *
 * "As it was": every entry of the folder has the same name, device, inode, size, modification and change time
 * (nanoseconds) as when the cache was written, as git's index decides a file is unchanged; the cache then holds
 * the sha256 each pickle had. Any difference (a file added, removed, rewritten, touched) rebuilds the entry.
 *
 * Where: `DISKPREDICT_CACHE_DIR` (empty: no cache), else `$XDG_CACHE_HOME/diskpredict`, else
 * `$HOME/.cache/diskpredict`; none of those (a system user without a home) or a directory that cannot be written:
 * no cache, the pickles are parsed every run as before. The cache is never needed for a correct verdict.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileIdentity } from '../../util/fileIdentity.js';
import { readConverted, writeConverted } from './convertedFormat.js';
import { CephModelError } from './errors.js';
import type { Loaded } from './loadPickleDir.js';
import type { CephModelKind, CephModels, ProphetStorModels, RedHatModels } from './modelTypes.js';

/** The cache directory the environment names, or undefined for none. */
export function cacheDirFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env['DISKPREDICT_CACHE_DIR'];
  if (explicit !== undefined) return explicit === '' ? undefined : explicit;
  const xdg = env['XDG_CACHE_HOME'];
  if (xdg !== undefined && isAbsolute(xdg)) return join(xdg, 'diskpredict');
  const home = env['HOME'];
  if (home !== undefined && isAbsolute(home)) return join(home, '.cache', 'diskpredict');
  return undefined;
}

/** What the cache did for one load: read the entry, wrote it, or neither (no cache dir, or it cannot be written). */
export type PickleCacheUse = 'read' | 'written' | 'off';

/** One line per folder entry: what must not have changed for the cache to stand for the folder. */
function folderStamp(folder: string): string {
  // 2: entries in the converted format's version 2 (distinct support vectors once, as 32-bit floats); older ones are rewritten
  const lines = [`diskpredict-ceph-pickle-cache 2 ${folder}`];
  for (const name of readdirSync(folder).sort()) {
    const identity = fileIdentity(join(folder, name));
    if (identity === undefined) throw new Error(`${name} went away while the folder was read`);
    lines.push(`${name}\t${identity}`);
  }
  return `${lines.join('\n')}\n`;
}

const STAMP_FILE = 'stamp';

/**
 * `parse` loads and checks the pickles of `<dir>/<sub>` (the kind's folder, which its config.json is in; the
 * source paths it records are relative to `dir`); its result is returned as it is, and cached when there is a
 * cache.
 */
export function loadPicklesCached(
  kind: CephModelKind,
  dir: string,
  sub: string,
  cacheDir: string | undefined,
  parse: () => Loaded<CephModels>,
): Loaded<CephModels> & { cache: PickleCacheUse } {
  if (cacheDir === undefined) return { ...parse(), cache: 'off' };
  let real: string;
  let stamp: string;
  try {
    real = realpathSync(dir);
    stamp = folderStamp(join(real, sub));
  } catch {
    return { ...parse(), cache: 'off' };
  }
  const key = createHash('sha256').update(`${real}\0${sub}`).digest('hex').slice(0, 32);
  const entry = join(cacheDir, 'ceph-models', `${kind}-${key}`);
  const cached = readEntry(entry, kind, stamp);
  if (cached !== undefined) return { ...cached, cache: 'read' };
  const loaded = parse();
  return { ...loaded, cache: writeEntry(entry, stamp, real, loaded as Loaded<ProphetStorModels | RedHatModels>) ? 'written' : 'off' };
}

function readEntry(entry: string, kind: CephModelKind, stamp: string): Loaded<CephModels> | undefined {
  try {
    if (readFileSync(join(entry, STAMP_FILE), 'utf8') !== stamp) return undefined;
    return readConverted(entry, kind);
  } catch (e) {
    // absent, or damaged (the doubles' sha256 no longer matches): parsed again and rewritten
    if (e instanceof CephModelError || (e as NodeJS.ErrnoException).code !== undefined) return undefined;
    throw e;
  }
}

/** Written beside the entry, then renamed over it: a reader sees the old entry, the new one, or none. */
function writeEntry(entry: string, stamp: string, sourceDir: string, loaded: Loaded<ProphetStorModels | RedHatModels>): boolean {
  const temp = `${entry}.${process.pid}.tmp`;
  try {
    rmSync(temp, { recursive: true, force: true });
    mkdirSync(temp, { recursive: true, mode: 0o700 });
    writeConverted(temp, loaded, sourceDir);
    writeFileSync(join(temp, STAMP_FILE), stamp);
    rmSync(entry, { recursive: true, force: true });
    renameSync(temp, entry);
    return true;
  } catch {
    try {
      rmSync(temp, { recursive: true, force: true });
    } catch {
      // a cache directory that cannot be written cannot hold a leftover either
    }
    return false;
  }
}
