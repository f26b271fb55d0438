import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { registerPredictCommand } from '../../lib/cli/predictCommand.js';
import { loadModelFile, writeModelFile } from '../../lib/models/modelFile.js';
import { defaultModelPath } from '../../lib/predict/registry.js';
import { runCommand } from '../helpers/runCommand.js';
import { describeShared, sharedPath } from '../helpers/shared.js';

const run = (args: string[]) => runCommand(registerPredictCommand, 'predict', args);
const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The real CLI as a process (stdin needs one). */
function cli(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, ['--import', 'tsx', join(root, 'lib/cli/main.ts'), ...args], { encoding: 'utf8', cwd: root, input, timeout: 120_000 });
}

describe('diskpredict predict', () => {
  it('refuses an unknown model name', async () => {
    await expect(run(['--model', 'nope', '.'])).rejects.toThrow(/not a known name/);
  });
});

describeShared('diskpredict predict on the shared smartctl files', () => {
  it('gives every device a verdict, never a silent Unknown; unreadable files are skipped with exit 1 or 2', async () => {
    const dir = sharedPath('smartctl');
    const { out, code } = await run(['--json', dir]);
    expect([1, 2]).toContain(code);
    // --json: one object per device per line, as its help says
    const lines = out.trim().split('\n');
    const results = lines.map((l) => JSON.parse(l) as { device: string; prediction: { status: string; reason?: string; model: { name: string } } });
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(results.length).toBeGreaterThan(files.length / 3);
    for (const r of results) if (r.prediction.status === 'Unknown') expect(r.prediction.reason).toBeTruthy();
    const models = new Set(results.map((r) => r.prediction.model.name));
    expect(models.has('rules')).toBe(true);
    expect(models.has('default')).toBe(true);
    expect(results.filter((r) => r.prediction.status === 'Unknown').length).toBeLessThan(results.length / 5);
  });

  it('prints one line per device of a Ceph dump in text mode', async () => {
    const { out } = await run([sharedPath('ceph', 'diskprediction_local_sample_input.json')]);
    expect(out.trim().split('\n')).toHaveLength(1);
    expect(out).toMatch(/Z302SV96|ST4000DM000/);
    expect(out).toMatch(/(Good|Warning|Bad) \(/);
  });

  it('one verdict per device file: 154 smartctl files are 154 devices, named by devid; clashing ones are named on stderr', async () => {
    const dir = sharedPath('smartctl');
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => join(dir, f));
    const { out } = await run(['--json', ...files]);
    const results = out.trim().split('\n').map((l) => JSON.parse(l)) as { device: string }[];
    expect(results).toHaveLength(154);
    expect(new Set(results.map((r) => r.device)).size).toBe(154);
    expect(results.map((r) => r.device)).toContain('ST10000NM001G-2MW103_ZLW26G7Q');
  });

  it('predict - reads one smartctl document from stdin (smartctl -j -x /dev/sda | diskpredict predict -)', () => {
    const file = sharedPath('smartctl', 'ata_hdd__ST10000NM001G-2MW103__smartctl_exporter-3b1512.json');
    const piped = cli(['predict', '--json', '-'], readFileSync(file, 'utf8'));
    expect(piped.status, piped.stderr).toBe(0);
    const fromFile = cli(['predict', '--json', file]);
    const strip = (text: string) => (text.trim().split('\n').map((l) => JSON.parse(l)) as { device: string; prediction: unknown }[]).map((r) => ({ ...r, prediction: JSON.stringify(r.prediction).replaceAll(file, '') }));
    const a = strip(piped.stdout);
    expect(a).toHaveLength(1);
    expect(a[0]!.device).toBe('ST10000NM001G-2MW103_ZLW26G7Q');
    expect(a).toEqual(strip(fromFile.stdout));
  });

  it('predict - with no JSON on stdin: exit 1 and a one-line reason naming <stdin>', () => {
    const r = cli(['predict', '-'], 'not json');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/<stdin>/);
  });
});


describeShared('diskpredict predict: familiarity', () => {
  it('prints and emits the drive familiarity when the model lists its training drives, and nothing when it does not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dp-predict-familiarity-'));
    try {
      const { checksum: _, ...body } = loadModelFile(defaultModelPath());
      const model = join(dir, 'model.json');
      writeModelFile(model, { ...body, training: { ...body.training, driveModels: ['ST8000NM0055', 'HGST HMS5C4040BLE640'] } });
      const file = sharedPath('smartctl', 'ata_hdd__ST8000NM0055-1RM112__smartctl_exporter-de4493.json');
      const text = await run(['--model', model, file]);
      expect(text.out).toMatch(/, familiarity: model\]/);
      const json = await run(['--json', '--model', model, file]);
      expect((JSON.parse(json.out) as { prediction: { familiarity?: string } }).prediction.familiarity).toBe('model');
      const { driveModels: _listed, ...training } = body.training;
      const unlisted = join(dir, 'unlisted');
      mkdirSync(unlisted);
      writeModelFile(join(unlisted, 'model.json'), { ...body, training });
      const plain = await run(['--json', '--model', join(unlisted, 'model.json'), file]);
      expect((JSON.parse(plain.out) as { prediction: { familiarity?: string } }).prediction.familiarity).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
