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
import type { CephModelKind, CephModels, ProphetStorModels, RedHatModels } from './modelTypes.js';
import { checkProphetStor, checkRedHat } from './validate.js';

export type CephModelSource = 'converted' | 'pickles';

export interface LoadedCephModels extends Loaded<CephModels> {
  from: CephModelSource;
}

export function loadCephModels(kind: 'prophetstor', dir: string): LoadedCephModels & { models: ProphetStorModels };
export function loadCephModels(kind: 'redhat', dir: string): LoadedCephModels & { models: RedHatModels };
export function loadCephModels(kind: CephModelKind, dir: string): LoadedCephModels;
export function loadCephModels(kind: CephModelKind, dir: string): LoadedCephModels {
  if (existsSync(convertedPaths(dir, kind).json)) return check({ ...readConverted(dir, kind), from: 'converted' });
  return check({ ...loadCephPickles(kind, dir), from: 'pickles' });
}

/** Ceph's pickles only: `<dir>/<kind>/` or `<dir>` itself. */
export function loadCephPickles(kind: CephModelKind, dir: string): Loaded<CephModels> {
  const sub = existsSync(join(dir, kind, 'config.json')) ? kind : existsSync(join(dir, 'config.json')) ? '' : null;
  if (sub === null) {
    throw new CephModelError(
      `no ${kind} models in ${dir}: expected ${kind}.json (converted), ${kind}/config.json or config.json (Ceph's models directory)`,
      dir,
    );
  }
  return kind === 'prophetstor' ? loadProphetStorPickles(dir, sub) : loadRedHatPickles(dir, sub);
}

function check(l: LoadedCephModels): LoadedCephModels {
  if (l.models.kind === 'prophetstor') checkProphetStor(l.models);
  else checkRedHat(l.models);
  return l;
}
