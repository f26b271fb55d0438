/** `diskpredict import-ceph-models <dir> --out <models dir>`: Ceph's pickles → this project's model files, once. */
import type { Command } from 'commander';
import { importCephModels } from '../models/ceph/index.js';
import { countNoun } from '../util/plural.js';
import { checkInputPaths, checkOutputDir } from './checkPaths.js';

export function registerImportCephModelsCommand(program: Command): void {
  program
    .command('import-ceph-models')
    .description("convert Ceph diskprediction_local's model directory (prophetstor/, redhat/) into diskpredict's model format")
    .argument('<dir>', "Ceph's models directory (src/pybind/mgr/diskprediction_local/models)")
    .requiredOption('--out <dir>', 'directory to write prophetstor.json/.f64 and redhat.json/.f64 into')
    .option('--json', 'print the result as JSON')
    .action((dir: string, opts: { out: string; json?: boolean }) => {
      checkInputPaths([dir], '');
      checkOutputDir(opts.out, '--out');
      const results = importCephModels(dir, opts.out);
      if (opts.json) {
        process.stdout.write(JSON.stringify(results, null, 2) + '\n');
        return;
      }
      for (const r of results) {
        process.stdout.write(`${r.kind}: ${countNoun(r.files, 'files')} → ${r.path} (version ${r.version})\n`);
        for (const f of r.missingFiles) process.stdout.write(`  missing ${f}: that vendor will answer Unknown ("model file missing")\n`);
      }
    });
}
