/**
 * Loading Ceph's own model directory (`models/prophetstor`, `models/redhat`) straight from the
 * scikit-learn pickles, through the whitelisting pickle reader.
 */
import { readPickle } from '../pickle/index.js';
import { CephModelError } from './errors.js';
import { forestFromPickle, scalerFromPickle, svcFromPickle } from './fromPickle.js';
import type { ProphetStorModels, RedHatModels, RedHatVendorModel, SvcModel } from './modelTypes.js';
import { redHatFiles } from './modelTypes.js';
import { readConfig, readSource, sourceExists, stringList, type SourceFile } from './sourceFiles.js';

export interface Loaded<M> {
  models: M;
  /** every file read, with its sha256 */
  sources: SourceFile[];
}

/** Paths of a kind's files relative to the models directory. */
function inFolder(sub: string): (name: string) => string {
  return (name) => (sub ? `${sub}/${name}` : name);
}

/** `root` is the Ceph models directory; `sub` the kind's folder inside it ('' when root is that folder). */
export function loadProphetStorPickles(root: string, sub: string): Loaded<ProphetStorModels> {
  const sources: SourceFile[] = [];
  const rel = inFolder(sub);
  const { config, version } = readConfig(root, rel('config.json'), sources);
  const entries = Object.entries(config).map(([file, attrs]) => ({ file, attributes: stringList(attrs, `config.json ${file}`) }));
  if (entries.length === 0 || !entries.every((e) => /^[\w.-]+\.pkl$/.test(e.file))) {
    throw new CephModelError(`${rel('config.json')} is not a ProphetStor config (keys must be model file names)`, root);
  }
  const svms = new Map<string, SvcModel>();
  for (const { file } of entries) svms.set(file, svcFromPickle(readPickle(readSource(root, rel(file), sources)), file));
  return { models: { kind: 'prophetstor', config: entries, svms, version }, sources };
}

export function loadRedHatPickles(root: string, sub: string): Loaded<RedHatModels> {
  const sources: SourceFile[] = [];
  const rel = inFolder(sub);
  const { config, version } = readConfig(root, rel('config.json'), sources);
  const entries = Object.entries(config).map(([vendor, features]) => ({ vendor, features: stringList(features, `config.json ${vendor}`) }));
  if (entries.length === 0 || !entries.every((e) => /^\w+$/.test(e.vendor) && e.features.includes('user_capacity'))) {
    throw new CephModelError(`${rel('config.json')} is not a Red Hat config (vendor → features with user_capacity)`, root);
  }
  const vendors = new Map<string, RedHatVendorModel>();
  for (const { vendor } of entries) {
    const files = redHatFiles(vendor);
    const model: RedHatVendorModel = { scaler: null, forest: null, missingFiles: [] };
    // A missing file (Ceph's seagate_predictor.pkl is not in any mirror) disables that vendor only.
    if (sourceExists(root, rel(files.scaler))) model.scaler = scalerFromPickle(readPickle(readSource(root, rel(files.scaler), sources)), files.scaler);
    else model.missingFiles.push(files.scaler);
    if (sourceExists(root, rel(files.predictor))) {
      const bytes = readSource(root, rel(files.predictor), sources);
      model.forest = forestFromPickle(readPickle(bytes), files.predictor, bytes.length);
    } else model.missingFiles.push(files.predictor);
    vendors.set(vendor, model);
  }
  return { models: { kind: 'redhat', config: entries, vendors, version }, sources };
}
