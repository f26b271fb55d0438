/** The real smartctl (Debian's smartmontools, installed by .ci/run): its version, and its scan read by scanResultOf. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readDevice } from '../../lib/collect/readDevice.js';
import { runSmartctl } from '../../lib/collect/runSmartctl.js';
import { scanResultOf } from '../../lib/collect/scanDevices.js';
import { parseJsonExact } from '../../lib/util/json.js';

function smartctlInstalled(): boolean {
  try {
    execFileSync('smartctl', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const installed = smartctlInstalled();
const describeReal = installed ? describe : describe.skip;
const title = installed ? 'real smartctl' : 'real smartctl [skipped: smartctl is not on PATH — apt-get install smartmontools]';

describeReal(title, () => {
  it('smartctl --version names a version with JSON output (7.0 or later)', async () => {
    const run = await runSmartctl(['--version']);
    expect(run.exitCode).toBe(0);
    const m = /^smartctl (\d+)\.(\d+)/.exec(run.stdout);
    expect(m, run.stdout).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(7);
  });

  it('smartctl --scan --json is read by the same code as --scan-open (containers may list no device)', async () => {
    const run = await runSmartctl(['--scan', '--json']);
    expect(run.timedOut || run.oversize).toBe(false);
    const scan = scanResultOf(parseJsonExact(run.stdout));
    expect(Array.isArray(scan.targets)).toBe(true);
    for (const t of scan.targets) expect(t.name).toMatch(/^\//);
  });

  it('a device that does not exist is no-data with smartctl\'s own message, not an error or a failing disk', async () => {
    const r = await readDevice({ name: '/dev/diskpredict-test-no-such-device' });
    expect(r.kind).toBe('no-data');
    if (r.kind === 'no-data') {
      expect(r.exitStatus! & 0b11).not.toBe(0);
      expect(r.message).toMatch(/diskpredict-test-no-such-device/);
    }
  });
});
