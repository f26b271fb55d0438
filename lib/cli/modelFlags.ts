/**
 * `--model` and `--ceph-models`, as predict, score and evaluate read them: Ceph's models need their
 * directory, and the error names this CLI's flag (the library's option is `cephModelDir`).
 */
import { CliError } from './errorLine.js';

export const CEPH_MODELS_FLAG_HELP = "directory of Ceph's imported models (import-ceph-models), for --model prophetstor|redhat (default: $DISKPREDICT_CEPH_MODELS)";

/** The Ceph model directory a `--model` needs, or undefined when it needs none. */
export function cephModelDirFor(model: string | undefined, cephModels: string | undefined): string | undefined {
  if (model !== 'prophetstor' && model !== 'redhat') return cephModels;
  const dir = cephModels ?? process.env['DISKPREDICT_CEPH_MODELS'];
  if (!dir) throw new CliError(`--model ${model} needs --ceph-models DIR (or DISKPREDICT_CEPH_MODELS): the directory import-ceph-models wrote`);
  return dir;
}
