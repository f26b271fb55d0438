/**
 * What `diskpredict predict` prints for the verdicts a new user met: a SAS disk with 56 grown defects, an
 * NVMe drive with media errors, and the 6-day Ceph sample drive. (Separate from predictCommand.test.ts, which
 * covers reading and exit codes.)
 */
import { readdirSync } from 'node:fs';
import { expect, it } from 'vitest';
import { registerPredictCommand } from '../../lib/cli/predictCommand.js';
import { runCommand } from '../helpers/runCommand.js';
import { describeShared, sharedPath } from '../helpers/shared.js';

const run = (args: string[]) => runCommand(registerPredictCommand, 'predict', args);
const smartctl = (prefix: string): string => sharedPath('smartctl', readdirSync(sharedPath('smartctl')).find((f) => f.startsWith(prefix))!);

describeShared('diskpredict predict explains its verdicts (shared data)', () => {
  it('a rule verdict shows its rule and value and no invented probabilities', async () => {
    const { out } = await run([smartctl('scsi__SEAGATE_ST4000NM0043'), smartctl('nvme__Samsung_SSD_970_EVO_500GB')]);
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/: Warning \(>=2w and <=6w\) \[rules 3, 1 day, familiarity: family\] — grown defect list: 56 \(rule: grown defect list ≥ 1 → Warning\)/);
    expect(lines[1]).toMatch(/: Warning .*media and data integrity errors: 7 \(rule: /);
    expect(out).not.toMatch(/p14=|p42=/);
  });

  it('a model verdict lists what raised the risk of its head, over the days the history covers', async () => {
    const { out } = await run(['--json', sharedPath('ceph', 'diskprediction_local_sample_input.json')]);
    const [r] = out.trim().split('\n').map((l) => JSON.parse(l)) as { prediction: { status: string; reason: string; reasons: { text: string; contribution: number }[] } }[];
    // The drive (ST4000DM000 Z302SV96) failed on 2018-01-29, 23 days after the sample's last day: an alarm is right.
    const { status, reason, reasons } = r!.prediction;
    expect(['Bad', 'Warning']).toContain(status);
    const [head, days] = status === 'Bad' ? ['p14', 14] : ['p42', 42];
    expect(reason).toMatch(new RegExp(`^${head} 0\\.\\d{4} ≥ ${status} threshold`));
    expect(reasons.length).toBeGreaterThan(0);
    for (const x of reasons) {
      expect(x.contribution).toBeGreaterThan(0);
      expect(x.text).toMatch(new RegExp(`\\(raises the ${days}-day risk\\)$`));
      // six daily samples: nothing may be described over 7 or 30 days
      expect(x.text).not.toMatch(/ in (7|30) days/);
    }
  });
});
