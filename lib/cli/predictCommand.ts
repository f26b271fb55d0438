/**
 * `diskpredict predict <file|dir…>`: one verdict per device. smartctl JSON files of the same device
 * (same model + serial) taken on several days are merged into one history; Ceph devicehealth dumps
 * and Backblaze CSVs carry their own histories. Exit status: 2 if any device is Bad, else 1 if
 * any file could not be read (it is named on stderr and skipped), else 0.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { readSmartFile } from '../smart/readSmartFile.js';
import type { DeviceHistory } from '../smart/types.js';
import { openPredictor } from '../predict/predictorSpec.js';
import type { Prediction } from '../predict/types.js';
import { stringifyJsonExact } from '../util/json.js';

function expand(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (statSync(p).isDirectory()) {
      out.push(...expand(readdirSync(p).filter((n) => !n.startsWith('.')).sort().map((n) => join(p, n))));
    } else out.push(p);
  }
  return out;
}

function deviceKey(h: DeviceHistory, fallback: string): string {
  const d = h.samples[h.samples.length - 1]?.device;
  if (h.devid) return h.devid;
  if (d?.serial) return `${d.model ?? ''}_${d.serial}`;
  return fallback;
}

interface FileFailure {
  file: string;
  message: string;
}

/** Reads every file; one that cannot be read is reported in `failures` and the rest go on. */
async function readHistories(paths: readonly string[]): Promise<{ histories: Map<string, DeviceHistory>; failures: FileFailure[] }> {
  const byDevice = new Map<string, DeviceHistory>();
  const failures: FileFailure[] = [];
  for (const file of expand(paths)) {
    let contents;
    try {
      contents = await readSmartFile(file);
    } catch (err) {
      failures.push({ file, message: err instanceof Error ? err.message : String(err) });
      continue;
    }
    contents.histories.forEach((h, i) => {
      const key = deviceKey(h, `${file}#${i}`);
      const seen = byDevice.get(key);
      if (seen) {
        seen.samples.push(...h.samples);
        seen.errors.push(...h.errors);
      } else byDevice.set(key, { ...h, samples: [...h.samples], errors: [...h.errors] });
    });
  }
  for (const h of byDevice.values()) h.samples.sort((a, b) => a.time - b.time);
  return { histories: byDevice, failures };
}

function line(device: string, p: Prediction): string {
  const probs = p.p14 === null ? '' : ` p14=${p.p14.toFixed(4)} p42=${(p.p42 ?? NaN).toFixed(4)}`;
  const why = p.reasons.slice(0, 3).map((r) => r.text).join('; ');
  return `${device}: ${p.status} (${p.cli})${probs} [${p.model.name} ${p.model.version}, ${p.samplesUsed} day(s)]${why ? ` — ${why}` : ''}${p.reason ? ` (${p.reason})` : ''}`;
}

export function registerPredictCommand(program: Command): void {
  program
    .command('predict')
    .description('predict failure for the devices in smartctl JSON files, Ceph devicehealth dumps or Backblaze CSVs')
    .argument('<paths...>', 'files or directories')
    .option('--json', 'print JSON (one object per device)')
    .option('--model <name|dir>', 'default, rules, prophetstor, redhat, or a model file/directory', 'default')
    .option('--ceph-model-dir <dir>', "directory of Ceph's model files (prophetstor, redhat)")
    .action(async (paths: string[], o: { json?: boolean; model: string; cephModelDir?: string }) => {
      const predictor = await openPredictor(o.model, o.cephModelDir ? { cephModelDir: o.cephModelDir } : {});
      const { histories, failures } = await readHistories(paths);
      for (const f of failures) process.stderr.write(`diskpredict: skipped ${f.message}\n`);
      const results = [...histories].map(([device, h]) => ({ device, prediction: predictor.predict(h) }));
      if (o.json) process.stdout.write(`${stringifyJsonExact(results, 2)}\n`);
      else for (const r of results) process.stdout.write(`${line(r.device, r.prediction)}\n`);
      // 2: some device is Bad (scripts can alert on it); 1: some file could not be read.
      if (results.some((r) => r.prediction.status === 'Bad')) process.exitCode = 2;
      else if (failures.length > 0) process.exitCode = 1;
    });
}
