/**
 * Finds and loads a Ceph model set: a directory converted by `import-ceph-models`
 * (`<dir>/<kind>.json`), Ceph's models directory (`<dir>/<kind>/config.json`), or the kind's
 * own folder (`<dir>/config.json`).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CephModelError } from './errors.js';
import { convertedPaths, readConverted } from './convertedFormat.js';
import { loadProphetStorPickles, loadRedHatPickles, type Loaded } from './loadPickleDir.js';
import { cacheDirFromEnv, loadPicklesCached, type PickleCacheUse } from './pickleCache.js';
import type { CephModelKind, CephModels, ProphetStorModels, RedHatModels } from './modelTypes.js';
import { checkProphetStor, checkRedHat } from './validate.js';

export type CephModelSource = 'converted' | 'pickles';

export interface LoadedCephModels extends Loaded<CephModels> {
  from: CephModelSource;
  /** for pickles: whether they came from the parsed-pickle cache (pickleCache.ts) */
  cache?: PickleCacheUse;
}

export interface LoadCephModelsOptions {
  /** where parsed pickles are cached (default: from the environment, see pickleCache.ts); undefined: nowhere */
  cacheDir?: string | undefined;
}

export function loadCephModels(kind: 'prophetstor', dir: string, options?: LoadCephModelsOptions): LoadedCephModels & { models: ProphetStorModels };
export function loadCephModels(kind: 'redhat', dir: string, options?: LoadCephModelsOptions): LoadedCephModels & { models: RedHatModels };
export function loadCephModels(kind: CephModelKind, dir: string, options?: LoadCephModelsOptions): LoadedCephModels;
export function loadCephModels(kind: CephModelKind, dir: string, options: LoadCephModelsOptions = {}): LoadedCephModels {
  if (existsSync(convertedPaths(dir, kind).json)) return check({ ...readConverted(dir, kind), from: 'converted' });
  const cacheDir = 'cacheDir' in options ? options.cacheDir : cacheDirFromEnv();
  const sub = pickleFolder(kind, dir);
  // checked before caching, so an entry only ever holds models that passed; read back, checked again as any file
  const loaded = loadPicklesCached(kind, dir, sub, cacheDir, () => check({ ...loadPickles(kind, dir, sub), from: 'pickles' }));
  return loaded.cache === 'read' ? check({ ...loaded, from: 'pickles' }) : { ...loaded, from: 'pickles' };
}

/** Ceph's pickles only: `<dir>/<kind>/` or `<dir>` itself. */
export function loadCephPickles(kind: CephModelKind, dir: string): Loaded<CephModels> {
  return loadPickles(kind, dir, pickleFolder(kind, dir));
}

function loadPickles(kind: CephModelKind, dir: string, sub: string): Loaded<CephModels> {
  return kind === 'prophetstor' ? loadProphetStorPickles(dir, sub) : loadRedHatPickles(dir, sub);
}

/** The kind's folder inside `dir`: `kind` or '' (dir itself). */
function pickleFolder(kind: CephModelKind, dir: string): string {
  const sub = existsSync(join(dir, kind, 'config.json')) ? kind : existsSync(join(dir, 'config.json')) ? '' : null;
  if (sub === null) {
    throw new CephModelError(
      `no ${kind} models in ${dir}: expected ${kind}.json (converted), ${kind}/config.json or config.json (Ceph's models directory)`,
      dir,
    );
  }
  return sub;
}

function check(l: LoadedCephModels): LoadedCephModels {
  if (l.models.kind === 'prophetstor') checkProphetStor(l.models);
  else checkRedHat(l.models);
  return l;
}
