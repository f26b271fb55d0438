/**
 * `diskpredict predict <file|dir|-…>`: one verdict per device (`-`: one JSON document on stdin, e.g.
 * `smartctl -j -x /dev/sda | diskpredict predict -`). Files of the same device (same devid) are
 * merged into one history by `readDeviceHistories`; files that share a devid but cannot be one
 * device are kept apart and named on stderr. Exit status: 2 if any device is Bad, else 1 if any
 * file could not be read (it is named on stderr and skipped), else 0.
 */
import { Option, type Command } from './commander.js';
import { readDeviceHistories, type SmartInput } from '../smart/readDeviceHistories.js';
import { readOverridesFile } from '../predict/overrides/overridesFile.js';
import { withOverrides } from '../predict/overrides/withOverrides.js';
import { openPredictor } from '../predict/predictorSpec.js';
import type { Prediction } from '../predict/types.js';
import { MAX_SAMPLES_FOR_PREDICTION } from '../predict/sampleWindow.js';
import { stringifyJsonExact } from '../util/json.js';
import { countNoun } from '../util/plural.js';
import { checkInputPaths } from './checkPaths.js';
import { CliError, errorLine } from './errorLine.js';
import { CEPH_MODELS_FLAG_HELP, cephModelDirFor } from './modelFlags.js';
import { readStdinText, STDIN_NAME } from './stdinInput.js';

function line(device: string, p: Prediction): string {
  const probs = p.p14 === null ? '' : ` p14=${p.p14.toFixed(4)} p42=${(p.p42 ?? NaN).toFixed(4)}`;
  const why = p.reasons.slice(0, 3).map((r) => r.text).join('; ');
  // model/family/vendor: the closest the model's training drives come to this one; none: not even its vendor
  const familiarity = p.familiarity === undefined ? '' : `, familiarity: ${p.familiarity}`;
  // A forced status is already told by `reason`; the other overrides are said here.
  const overrides = (p.overrides ?? []).filter((o) => o.action !== 'force').map((o) => o.text);
  return `${device}: ${p.status} (${p.cli})${probs} [${p.model.name} ${p.model.version}, ${countNoun(p.samplesUsed, 'days')}${familiarity}]${why ? ` — ${why}` : ''}${p.reason ? ` (${p.reason})` : ''}${overrides.length ? ` {overrides: ${overrides.join('; ')}}` : ''}`;
}

export function registerPredictCommand(program: Command): void {
  program
    .command('predict')
    .description('predict failure for the devices in smartctl JSON files, Ceph devicehealth dumps or Backblaze CSVs')
    .argument('<paths...>', 'files or directories; - reads one JSON document from stdin')
    .option('--json', 'one JSON object per device per line: {"device": …, "prediction": {status, p14, p42, reasons, overrides?, …}} (field names: docs/protocol.md, "Field names")')
    .option('--model <name|dir>', 'default, rules, prophetstor, redhat, or a model file/directory', 'default')
    .option('--ceph-models <dir>', CEPH_MODELS_FLAG_HELP)
    // The flag's earlier name, kept working for scripts.
    .addOption(new Option('--ceph-model-dir <dir>').hideHelp())
    .option('--overrides <file>', "apply this overrides file, as the daemon does (see docs/overrides.md; default: none, so files are judged as they are)")
    .action(async (paths: string[], o: { json?: boolean; model: string; cephModels?: string; cephModelDir?: string; overrides?: string }) => {
      checkInputPaths(paths, '');
      if (o.overrides !== undefined) checkInputPaths([o.overrides], '--overrides');
      // Read before any SMART file: a bad overrides file is a one-line error, not a run with half the settings.
      const overrides = o.overrides !== undefined ? readOverridesFile(o.overrides) : undefined;
      const cephModelDir = cephModelDirFor(o.model, o.cephModels ?? o.cephModelDir);
      const opened = await openPredictor(o.model, cephModelDir !== undefined ? { cephModelDir } : {});
      const predictor = overrides !== undefined ? withOverrides(opened, overrides) : opened;
      const inputs: SmartInput[] = [];
      for (const p of paths) inputs.push(p === '-' ? { name: STDIN_NAME, text: await readStdinText() } : p);
      // Day dicts cost a fifth of the reading time and only Ceph's old models read them. Blocking reads: this
      // process has nothing else to do meanwhile, and they skip the thread pool's hand-offs.
      const { devices, failures, conflicts } = await readDeviceHistories(inputs, { cephDayDict: predictor.needsCephDayDict === true, blocking: true, newestSamplesPerDevice: MAX_SAMPLES_FOR_PREDICTION });
      for (const f of failures) process.stderr.write(errorLine('predict', `skipped ${f.message}`));
      for (const c of conflicts) {
        const others = c.clashesWith.length > 3 ? `${c.clashesWith.slice(0, 3).join(', ')} and ${c.clashesWith.length - 3} more` : c.clashesWith.join(', ');
        process.stderr.write(errorLine('predict', `${c.files.join(', ')}: not merged into ${c.devid} (${others}): ${c.message}; kept as ${c.keptAs}`));
      }
      const results = devices.map((d) => ({ device: d.name, prediction: predictor.predict(d.history) }));
      // Nothing readable at all: the skipped files above already said why.
      if (results.length === 0 && failures.length > 0) {
        process.exitCode = 1;
        return;
      }
      if (results.length === 0) throw new CliError(`no device found in ${paths.join(', ')}`);
      // one write: a write per device was a system call per device
      process.stdout.write(results.map((r) => `${o.json ? stringifyJsonExact(r) : line(r.device, r.prediction)}\n`).join(''));
      // 2: some device is Bad (scripts can alert on it); 1: some file could not be read.
      if (results.some((r) => r.prediction.status === 'Bad')) process.exitCode = 2;
      else if (failures.length > 0) process.exitCode = 1;
    });
}
