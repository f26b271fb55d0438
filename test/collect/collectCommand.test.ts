/** `diskpredict collect --once` into a database directly and through a running daemon, with the fake smartctl. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerCollectCommand } from '../../lib/cli/collectCommand.js';
import { DiskPredictClient } from '../../lib/client/index.js';
import { Store } from '../../daemon/store/store.js';
import { describeShared, sharedPath } from '../helpers/shared.js';
import { runCommand } from '../helpers/runCommand.js';
import { cleanup, startDaemon, tempDir } from '../daemon/helpers/daemonProcess.js';
import { fakeSmartctl, withFakeOnPath } from './fakeSmartctl.js';

const HDD = 'smartctl/ata_hdd__HGST_HUS724020ALA640__smartctl_exporter-ee0794.json';

describeShared('diskpredict collect --once', () => {
  const plan = () =>
    fakeSmartctl({
      scan: [{ name: '/dev/sda', type: 'sat' }, { name: '/dev/sdb', type: 'sat' }, { name: '/dev/sdc', type: 'sat' }],
      devices: { '/dev/sda': { replay: sharedPath(HDD), serial: 'CLI0001' }, '/dev/sdb': { standby: true }, '/dev/sdc': { openFailed: true } },
    });

  it('--db: stores what it read with the ingest op\'s code path; standby skipped; exit 0 without errors', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.db');
    new Store(db).close();
    const fake = plan();
    const { out, code } = await withFakeOnPath(fake, () => runCommand(registerCollectCommand, 'collect', ['--once', '--db', db, '--json']));
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l['device'], l['outcome']])).toEqual([['/dev/sda:sat', 'stored'], ['/dev/sdb:sat', 'standby'], ['/dev/sdc:sat', 'no-data']]);
    expect(code).toBeUndefined();
    const store = new Store(db);
    try {
      expect(store.devices().map((d) => [d.devid, d.samples])).toEqual([['HGST_HUS724020ALA640_CLI0001', 1]]);
    } finally {
      store.close();
    }
  }, 20_000);

  it('--socket: through a running daemon, which predicts; --devices reads only those; a failed device exits 1 after the rest', async () => {
    const d = await startDaemon();
    const fake = fakeSmartctl({
      scan: [],
      devices: { '/dev/sda': { replay: sharedPath(HDD), serial: 'CLI0002' }, '/dev/sdh': { hang: true } },
    });
    try {
      const { out, code } = await withFakeOnPath(fake, () => runCommand(registerCollectCommand, 'collect', ['--once', '--socket', d.socketPath, '--timeout-ms', '500', '--devices', '/dev/sdh', '/dev/sda:sat']));
      expect(out).toMatch(/^\/dev\/sdh\t-\terror: smartctl on \/dev\/sdh did not finish within 500 ms; killed$/m);
      expect(out).toMatch(/^\/dev\/sda:sat\tHGST_HUS724020ALA640_CLI0002\tstored 1, duplicate 0\tGood$/m);
      expect(code).toBe(1);
      expect(fake.calls().map((a) => a[0])).toEqual(['-x', '-x']); // no scan with --devices
      const client = new DiskPredictClient({ socketPath: d.socketPath });
      const reply = await client.request('devices');
      client.close();
      expect(reply['devices']).toMatchObject([{ devid: 'HGST_HUS724020ALA640_CLI0002', last_prediction: { status: 'Good' } }]);
    } finally {
      expect(await d.stop()).toBe(0);
      cleanup(d);
    }
  }, 30_000);
});

describe('diskpredict collect options', () => {
  it('refuses --socket and --db together', async () => {
    await expect(runCommand(registerCollectCommand, 'collect', ['--once', '--socket', '/x.sock', '--db', '/x.db'])).rejects.toThrow(/not both/);
  });
});
