import type { Command } from 'commander';
import { addDaemonOptions, cliLayer, logLevelOption, type DaemonCliOptions } from '../../daemon/cliOptions.js';
import { stderrLogger } from '../../daemon/log.js';
import type { PredictorFactory } from '../../daemon/models.js';
import { runDaemonProcess } from '../../daemon/runDaemon.js';
import { createPredictor } from '../predict/registry.js';
import { checkInputPaths } from './checkPaths.js';

/** `--models DIR` replaces the shipped model folder for the default spec. */
const libraryPredictors: PredictorFactory = (spec, options) => {
  const cephOptions = options.cephModelDir !== undefined ? { cephModelDir: options.cephModelDir } : {};
  const useModelDir = options.modelDir !== undefined && (spec === undefined || spec === 'default');
  return createPredictor(useModelDir ? options.modelDir : spec, cephOptions);
};

/** `diskpredict daemon`: the Unix-socket prediction service (docs/protocol.md). */
export function registerDaemonCommand(program: Command): void {
  addDaemonOptions(program.command('daemon').description('serve predictions on a Unix socket (see docs/protocol.md)')).action(
    async (o: DaemonCliOptions) => {
      for (const [flag, path] of [['--models', o.models], ['--ceph-models', o.cephModels], ['--config', o.config]] as const) {
        if (path !== undefined) checkInputPaths([path], flag);
      }
      await runDaemonProcess({
        ...(o.config !== undefined && { configFile: o.config }),
        cli: cliLayer(o),
        createPredictor: libraryPredictors,
        log: stderrLogger(logLevelOption(o.logLevel)),
      });
    },
  );
}
