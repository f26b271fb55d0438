#!/usr/bin/env node
/** The `diskpredict` command: each subcommand lives in its own module beside this one. */
import './compileCache.js'; // evaluated first: the command modules, imported on demand below, can use V8's code cache
import { Command } from './commander.js';
import { packageVersion } from '../util/packageInfo.js';
import { nativeBuilder, nativeEnabled, nativeLoadError } from '../native/index.js';
import { endQuietlyOnClosedStdout } from './closedStdout.js';
import { errorLine, messageOf } from './errorLine.js';
import { EXIT_CODES_HELP, ENVIRONMENT_HELP, optionDescription } from './helpText.js';

type Register = (program: Command) => void;

// Loaded lazily: the daemon should not pay (in start-up time and RSS) for the trainer or the
// pickle reader. Only `--help` or an unknown command loads them all.
const commands: Record<string, () => Promise<Register>> = {
  parse: async () => (await import('./parseCommand.js')).registerParseCommand,
  predict: async () => (await import('./predictCommand.js')).registerPredictCommand,
  train: async () => (await import('./trainCommand.js')).registerTrainCommand,
  score: async () => (await import('./scoreCommand.js')).registerScoreCommand,
  evaluate: async () => (await import('./evaluateCommand.js')).registerEvaluateCommand,
  'import-ceph-models': async () => (await import('./importCephModelsCommand.js')).registerImportCephModelsCommand,
  daemon: async () => (await import('./daemonCommand.js')).registerDaemonCommand,
  client: async () => (await import('./clientCommand.js')).registerClientCommand,
  collect: async () => (await import('./collectCommand.js')).registerCollectCommand,
  override: async () => (await import('./overrideCommand.js')).registerOverrideCommand,
};

/** The subcommand being run, for the `diskpredict <command>:` prefix of its errors. */
const requested = process.argv[2];
const commandName = requested !== undefined && Object.hasOwn(commands, requested) ? requested : undefined;

async function main(): Promise<void> {
  endQuietlyOnClosedStdout();
  const program = new Command()
    .name('diskpredict')
    .description('Predict disk failure from S.M.A.R.T. data')
    .version(`${packageVersion()} (native addon: ${nativeEnabled ? `on, ${nativeBuilder ?? 'built'}` : `off, ${nativeLoadError ?? 'not built'}`})`)
    // Commander's own errors (unknown option, missing argument) in the same one-line style as ours;
    // set before the subcommands are added, which inherit it.
    .configureOutput({ outputError: (text, write) => write(errorLine(commandName, text.replace(/^error: /, '').trimEnd())) })
    .configureHelp({ optionDescription })
    .addHelpText('afterAll', `\n${EXIT_CODES_HELP}\n\n${ENVIRONMENT_HELP}`);
  const load = commandName !== undefined ? commands[commandName] : undefined;
  // --version needs no command; --help, no argument or an unknown command need them all (to list them)
  const loaders = load ? [load] : requested === '--version' || requested === '-V' ? [] : Object.values(commands);
  for (const loader of loaders) (await loader())(program);
  await program.parseAsync(process.argv);
}

main().catch((err: unknown) => {
  // One line, no stack: operators read this.
  process.stderr.write(errorLine(commandName, messageOf(err)));
  process.exitCode = process.exitCode && process.exitCode !== 0 ? process.exitCode : 1;
});
