import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { registerPredictCommand } from '../../lib/cli/predictCommand.js';
import { runCommand } from '../helpers/runCommand.js';
import { describeShared, sharedPath } from '../helpers/shared.js';

const run = (args: string[]) => runCommand(registerPredictCommand, 'predict', args);

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
});
