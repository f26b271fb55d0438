/** Converts a Ceph models directory once into this project's format (see convertedFormat.ts). */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeConverted } from './convertedFormat.js';
import { CephModelError } from './errors.js';
import { loadProphetStorPickles, loadRedHatPickles } from './loadPickleDir.js';
import type { CephModelKind } from './modelTypes.js';
import { checkProphetStor, checkRedHat } from './validate.js';

export interface ImportResult {
  kind: CephModelKind;
  /** the written `<kind>.json` */
  path: string;
  version: string;
  files: number;
  /** model files config.json names that were absent (Red Hat vendors then answer Unknown) */
  missingFiles: string[];
}

const KINDS: CephModelKind[] = ['prophetstor', 'redhat'];

/** `cephDir` holds `prophetstor/` and/or `redhat/` as in Ceph's `diskprediction_local/models/`. */
export function importCephModels(cephDir: string, outDir: string): ImportResult[] {
  const kinds = KINDS.filter((k) => existsSync(join(cephDir, k, 'config.json')));
  if (kinds.length === 0) {
    throw new CephModelError(`${cephDir} holds neither prophetstor/config.json nor redhat/config.json`, cephDir);
  }
  return kinds.map((kind) => {
    if (kind === 'prophetstor') {
      const loaded = loadProphetStorPickles(cephDir, kind);
      checkProphetStor(loaded.models);
      return { kind, path: writeConverted(outDir, loaded, resolve(cephDir)), version: loaded.models.version, files: loaded.sources.length, missingFiles: [] };
    }
    const loaded = loadRedHatPickles(cephDir, kind);
    checkRedHat(loaded.models);
    const missingFiles = [...loaded.models.vendors.values()].flatMap((v) => v.missingFiles.map((f) => `${kind}/${f}`));
    return { kind, path: writeConverted(outDir, loaded, resolve(cephDir)), version: loaded.models.version, files: loaded.sources.length, missingFiles };
  });
}
