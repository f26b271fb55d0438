/** lib/collect against the fake smartctl: replayed real samples, standby, errors, a hang and runaway output. */
import { describe, expect, it } from 'vitest';
import { collectPass, type CollectSink } from '../../lib/collect/collectPass.js';
import { readDevice } from '../../lib/collect/readDevice.js';
import { scanDevices } from '../../lib/collect/scanDevices.js';
import { parseTarget } from '../../lib/collect/collectTarget.js';
import type { JsonObject } from '../../lib/util/json.js';
import { describeShared, sharedPath } from '../helpers/shared.js';
import { fakeSmartctl, withFakeOnPath } from './fakeSmartctl.js';

const HDD = 'smartctl/ata_hdd__HGST_HUS724020ALA640__smartctl_exporter-ee0794.json';
const NVME = 'smartctl/nvme__CT250P2SSD8__smartctl_exporter-f187b8.json';

function recordingSink(failFor?: string): CollectSink & { got: { devid: string; doc: JsonObject }[] } {
  const got: { devid: string; doc: JsonObject }[] = [];
  return {
    got,
    async ingest(devid, doc) {
      if (devid === failFor) throw new Error('store refused');
      got.push({ devid, doc });
      return { stored: 1, duplicates: 0 };
    },
  };
}

describe('readDevice without data', () => {
  it('a disk in standby is skipped, read with -n standby and never treated as data', async () => {
    const fake = fakeSmartctl({ scan: [], devices: { '/dev/sdz': { standby: true } } });
    const r = await withFakeOnPath(fake, () => readDevice({ name: '/dev/sdz', type: 'sat' }));
    expect(r.kind).toBe('standby');
    expect(fake.calls()).toEqual([['-x', '--json=o', '-n', 'standby', '-d', 'sat', '/dev/sdz']]);
  });

  it.each(['output', 'power_mode'] as const)('standby is recognised when smartctl says so in %s', async (standbyStyle) => {
    const fake = fakeSmartctl({ scan: [], devices: { '/dev/sdz': { standby: true, standbyStyle } } });
    const r = await withFakeOnPath(fake, () => readDevice({ name: '/dev/sdz', type: 'sat' }));
    expect(r.kind).toBe('standby');
  });

  it('open failure (exit status bit 1 without a power-mode message) is no-data with smartctl\'s message', async () => {
    const fake = fakeSmartctl({ scan: [], devices: { '/dev/sdy': { openFailed: true } } });
    const r = await withFakeOnPath(fake, () => readDevice({ name: '/dev/sdy' }));
    expect(r).toMatchObject({ kind: 'no-data', exitStatus: 2 });
    if (r.kind === 'no-data') expect(r.message).toMatch(/open device: \/dev\/sdy failed/);
  });

  it('a hung smartctl is killed at the timeout', async () => {
    const fake = fakeSmartctl({ scan: [], devices: { '/dev/sdh': { hang: true } } });
    const r = await withFakeOnPath(fake, () => readDevice({ name: '/dev/sdh' }, { timeoutMs: 500 }));
    expect(r).toMatchObject({ kind: 'error' });
    if (r.kind === 'error') expect(r.message).toMatch(/did not finish within 500 ms/);
  });

  it('output past the 100 KiB cap is cut and the run killed', async () => {
    const fake = fakeSmartctl({ scan: [], devices: { '/dev/sdo': { oversize: true } } });
    const r = await withFakeOnPath(fake, () => readDevice({ name: '/dev/sdo' }, { maxOutputBytes: 100 * 1024, timeoutMs: 10_000 }));
    expect(r).toMatchObject({ kind: 'error' });
    if (r.kind === 'error') expect(r.message).toMatch(/more than 102400 bytes/);
  });

  it('output that is not JSON is an error naming the exit status', async () => {
    const fake = fakeSmartctl({ scan: [], devices: { '/dev/sdg': { garbage: true } } });
    const r = await withFakeOnPath(fake, () => readDevice({ name: '/dev/sdg' }));
    expect(r).toMatchObject({ kind: 'error' });
    if (r.kind === 'error') expect(r.message).toMatch(/exit status 4\) printed no JSON/);
  });

  it('smartctl missing from PATH is an error, not a crash', async () => {
    const r = await readDevice({ name: '/dev/sda' }, { command: '/nonexistent/smartctl' });
    expect(r).toMatchObject({ kind: 'error' });
  });

  it('--devices NAME:TYPE keeps a type with a comma', () => {
    expect(parseTarget('/dev/bus/0:megaraid,3')).toEqual({ name: '/dev/bus/0', type: 'megaraid,3' });
    expect(parseTarget('/dev/sda')).toEqual({ name: '/dev/sda' });
  });
});

describeShared('collection replaying shared smartctl samples', () => {
  it('reads data, names warning bits, and goes on past every kind of failing device', async () => {
    const fake = fakeSmartctl({
      scan: [
        { name: '/dev/sda', type: 'sat' },
        { name: '/dev/sdb', type: 'sat' },
        { name: '/dev/sdc', type: 'sat' },
        { name: '/dev/nvme0', type: 'nvme' },
        { name: '/dev/sdd', type: 'sat' },
        { name: '/dev/sde', open_error: 'Permission denied' },
      ],
      devices: {
        '/dev/sda': { replay: sharedPath(HDD), exitBits: 0x40, serial: 'FAKE0001' },
        '/dev/sdb': { standby: true },
        '/dev/sdc': { hang: true },
        '/dev/nvme0': { replay: sharedPath(NVME), serial: 'FAKE0002' },
        '/dev/sdd': { replay: sharedPath(HDD), serial: 'FAKE0003' },
      },
    });
    const sink = recordingSink('HGST_HUS724020ALA640_FAKE0003');
    const report = await withFakeOnPath(fake, () => collectPass({ sink, timeoutMs: 1500 }));
    const by = Object.fromEntries(report.devices.map((d) => [d.device, d]));
    expect(by['/dev/sda:sat']).toMatchObject({ outcome: 'stored', devid: 'HGST_HUS724020ALA640_FAKE0001', warnings: ['bit 6: the device error log contains errors'] });
    expect(by['/dev/sdb:sat']).toMatchObject({ outcome: 'standby' });
    expect(by['/dev/sdc:sat']).toMatchObject({ outcome: 'error' });
    expect(by['/dev/nvme0:nvme']).toMatchObject({ outcome: 'stored', devid: 'CT250P2SSD8_FAKE0002', warnings: [] });
    expect(by['/dev/sdd:sat']).toMatchObject({ outcome: 'error', devid: 'HGST_HUS724020ALA640_FAKE0003', message: 'store refused' });
    expect(by['/dev/sde']).toMatchObject({ outcome: 'error', message: 'smartctl --scan-open: Permission denied' });
    expect(sink.got.map((g) => g.devid)).toEqual(['HGST_HUS724020ALA640_FAKE0001', 'CT250P2SSD8_FAKE0002']);
    // every read asked smartctl not to wake the disk
    for (const argv of fake.calls().slice(1)) expect(argv.slice(0, 4)).toEqual(['-x', '--json=o', '-n', 'standby']);
  }, 20_000);

  it('scanDevices lists what --scan-open opened', async () => {
    const fake = fakeSmartctl({ scan: [{ name: '/dev/sda', type: 'sat' }, { name: '/dev/sdb', open_error: 'No such device' }], devices: {} });
    const scan = await withFakeOnPath(fake, () => scanDevices());
    expect(scan).toEqual({ targets: [{ name: '/dev/sda', type: 'sat' }], openErrors: [{ name: '/dev/sdb', message: 'No such device' }] });
  });
});
