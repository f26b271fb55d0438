/**
 * The parsed-pickle cache (lib/models/ceph/pickleCache.ts) on Ceph's real model folders: the models read back are
 * the models parsed, an entry stands only while the folder is unchanged, and a damaged or unwritable cache only
 * costs a parse.
 */
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { loadCephModels, loadCephPickles } from '../../lib/models/ceph/index.js';
import { cacheDirFromEnv } from '../../lib/models/ceph/pickleCache.js';
import type { CephModels, SvcModel } from '../../lib/models/ceph/modelTypes.js';
import { supportVectorRow } from '../../lib/models/ceph/svcIndex.js';
import { describeShared, sharedPath } from '../helpers/shared.js';

const work = mkdtempSync(join(tmpdir(), 'dp-pickle-cache-'));

/**
 * The models with every ProphetStor support vector as a row of doubles: the cache keeps each distinct one once
 * (`rowOf`), as 32-bit floats, the same values.
 */
function asDoubles(models: CephModels): CephModels {
  if (models.kind !== 'prophetstor') return models;
  const svms = new Map(
    [...models.svms].map(([file, m]) => {
      const d = m.nFeatures;
      const full = new Float64Array(m.nSupport * d);
      for (let j = 0; j < m.nSupport; j++) {
        const start = supportVectorRow(m, j) * d;
        full.set(m.supportVectors.subarray(start, start + d), j * d);
      }
      const expanded: SvcModel = { ...m, supportVectors: full };
      delete expanded.rowOf; // the parsed models have one row per support vector
      return [file, expanded];
    }),
  );
  return { ...models, svms };
}
afterAll(() => rmSync(work, { recursive: true, force: true }));

it('takes its directory from DISKPREDICT_CACHE_DIR, XDG_CACHE_HOME or HOME, in that order', () => {
  expect(cacheDirFromEnv({ DISKPREDICT_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe('/c');
  expect(cacheDirFromEnv({ DISKPREDICT_CACHE_DIR: '', XDG_CACHE_HOME: '/x' })).toBeUndefined();
  expect(cacheDirFromEnv({ XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe('/x/diskpredict');
  expect(cacheDirFromEnv({ XDG_CACHE_HOME: 'relative', HOME: '/h' })).toBe('/h/.cache/diskpredict');
  expect(cacheDirFromEnv({})).toBeUndefined();
});

describeShared('the parsed-pickle cache', () => {
  const cephDir = sharedPath('ceph-models');

  it('gives back exactly the models and sources the pickles give, for both kinds', () => {
    const cacheDir = join(work, 'both');
    for (const kind of ['prophetstor', 'redhat'] as const) {
      const parsed = loadCephPickles(kind, cephDir);
      const first = loadCephModels(kind, cephDir, { cacheDir });
      const second = loadCephModels(kind, cephDir, { cacheDir });
      expect([first.cache, second.cache]).toEqual(['written', 'read']);
      expect(second.from).toBe('pickles');
      expect(asDoubles(second.models)).toEqual(parsed.models);
      if (second.models.kind === 'prophetstor') {
        // all of Ceph's support vectors are small integers: stored and read back as 32-bit floats, each distinct one once
        const svms = [...second.models.svms.values()];
        expect(svms.every((m) => m.supportVectors instanceof Float32Array && m.rowOf !== undefined)).toBe(true);
        const rows = svms.reduce((n, m) => n + m.supportVectors.length / m.nFeatures, 0);
        const supportVectors = svms.reduce((n, m) => n + m.nSupport, 0);
        expect([rows, supportVectors]).toEqual([124_921, 278_051]);
      }
      expect(second.sources).toEqual(parsed.sources);
    }
  });

  it('rebuilds the entry when the folder changes, and after damage', () => {
    const cacheDir = join(work, 'changes');
    const models = join(work, 'models');
    cpSync(join(cephDir, 'prophetstor'), join(models, 'prophetstor'), { recursive: true });
    const load = (): string | undefined => loadCephModels('prophetstor', models, { cacheDir }).cache;
    expect([load(), load()]).toEqual(['written', 'read']);
    // the same bytes, touched: rebuilt (the stamp is the files' metadata, as git's index)
    const pickle = join(models, 'prophetstor', 'svm_1.pkl');
    utimesSync(pickle, new Date(2001, 0, 1), new Date(2001, 0, 1));
    expect([load(), load()]).toEqual(['written', 'read']);
    // a file added to the folder
    writeFileSync(join(models, 'prophetstor', 'notes.txt'), 'x');
    expect([load(), load()]).toEqual(['written', 'read']);
    // a changed config.json (a model dropped): the new config is what counts
    const config = join(models, 'prophetstor', 'config.json');
    const parsedConfig = JSON.parse(readFileSync(config, 'utf8')) as Record<string, unknown>;
    delete parsedConfig['svm_1.pkl'];
    writeFileSync(config, JSON.stringify(parsedConfig));
    const changed = loadCephModels('prophetstor', models, { cacheDir });
    expect(changed.cache).toBe('written');
    expect(changed.models.svms.has('svm_1.pkl')).toBe(false);
    // a damaged sidecar: refused by its sha256, parsed again
    const entry = join(cacheDir, 'ceph-models', readdirSync(join(cacheDir, 'ceph-models'))[0]!);
    appendFileSync(join(entry, 'prophetstor.f64'), Buffer.alloc(8));
    expect([load(), load()]).toEqual(['written', 'read']);
    expect(asDoubles(loadCephModels('prophetstor', models, { cacheDir }).models)).toEqual(loadCephPickles('prophetstor', models).models);
  });

  it('without a usable cache directory, parses the pickles as before', () => {
    const notADir = join(work, 'a-file');
    writeFileSync(notADir, '');
    const loaded = loadCephModels('redhat', cephDir, { cacheDir: notADir });
    expect(loaded.cache).toBe('off');
    expect(loaded.models).toEqual(loadCephPickles('redhat', cephDir).models);
    expect(loadCephModels('redhat', cephDir, { cacheDir: undefined }).cache).toBe('off');
  });
});
