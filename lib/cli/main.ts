#!/usr/bin/env node
/** The `diskpredict` command: each subcommand lives in its own module beside this one. */
import { Command } from 'commander';
import { registerParseCommand } from './parseCommand.js';
import { registerPredictCommand } from './predictCommand.js';
import { registerTrainCommand } from './trainCommand.js';
import { registerScoreCommand } from './scoreCommand.js';
import { registerEvaluateCommand } from './evaluateCommand.js';
import { registerImportCephModelsCommand } from './importCephModelsCommand.js';
import { registerDaemonCommand } from './daemonCommand.js';
import { registerClientCommand } from './clientCommand.js';
import { packageVersion } from '../util/packageInfo.js';

const program = new Command()
  .name('diskpredict')
  .description('Predict disk failure from S.M.A.R.T. data')
  .version(packageVersion());

registerParseCommand(program);
registerPredictCommand(program);
registerTrainCommand(program);
registerScoreCommand(program);
registerEvaluateCommand(program);
registerImportCephModelsCommand(program);
registerDaemonCommand(program);
registerClientCommand(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  // One line, no stack: operators read this.
  process.stderr.write(`diskpredict: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = process.exitCode && process.exitCode !== 0 ? process.exitCode : 1;
});
