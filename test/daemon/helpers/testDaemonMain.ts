/** A real daemon process answering with the test predictor: `tsx test/daemon/helpers/testDaemonMain.ts [daemon options]`. */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { addDaemonOptions, cliLayer, logLevelOption, type DaemonCliOptions } from '../../../daemon/cliOptions.js';
import { stderrLogger } from '../../../daemon/log.js';
import { runDaemonProcess } from '../../../daemon/runDaemon.js';
import { createTestPredictor } from './testPredictor.js';

// $DISKPREDICT_TEST_CLOCK_FILE holds milliseconds added to the daemon's clock, so a test can move it forward.
const clockFile = process.env['DISKPREDICT_TEST_CLOCK_FILE'];

const program = addDaemonOptions(new Command('test-daemon')).action(async (o: DaemonCliOptions) => {
  await runDaemonProcess({
    ...(o.config !== undefined && { configFile: o.config }),
    cli: cliLayer(o),
    createPredictor: createTestPredictor,
    log: stderrLogger(logLevelOption(o.logLevel)),
    ...(clockFile !== undefined && { now: () => Date.now() + Number(readFileSync(clockFile, 'utf8').trim() || '0') }),
  });
});
program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`test-daemon: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
