/**
 * Overrides in the real daemon (lib/cli/main.ts daemon, rule scorer) on a real Unix socket, with real smartctl
 * JSON from ../shared: `predict`, `predict_batch` and `ingest` + stored history all apply them and list them;
 * the `reload` op and SIGHUP re-read the file; a bad file on reload keeps the previous overrides and says why.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiskPredictClient, DiskPredictError } from '../../lib/client/index.js';
import { validateOverrides, writeOverridesFile } from '../../lib/predict/overrides/index.js';
import { parseJsonExact, type JsonObject, type JsonValue } from '../../lib/util/json.js';
import { describeShared, hasShared, sharedPath } from '../helpers/shared.js';
import { cleanup, projectRoot, startDaemon, tempDir, type DaemonProcess } from './helpers/daemonProcess.js';

const SCSI_DEVID = 'SEAGATE_ST4000NM0043_Z1Z5DWJK0000XXXXXXXX'; // 56 grown defects: Warning from the rules
const NVME_DEVID = 'Samsung_SSD_970_EVO_500GB_S466NX0M776250H'; // 7 media errors: Warning from the rules
const doc = (file: string): JsonValue => (hasShared ? parseJsonExact(readFileSync(sharedPath('smartctl', file), 'utf8')) : null);

const ENTRIES = [
  { id: 'scsi-known', device: 'Z1Z5DWJK0000XXXXXXXX', baseline: { attribute: 'scsi.grown_defects', value: 56 }, note: 'defects from 2021' },
  { id: 'nvme-bad', device: NVME_DEVID, forceStatus: 'Bad', note: 'replace in the next window', expires: '2099-01-01' },
  { id: 'old', model: 'seagate st4000nm0043', forceStatus: 'Good', note: 'expired', expires: '2020-01-01' },
];

describeShared('daemon applies overrides', () => {
  let d: DaemonProcess;
  let client: DiskPredictClient;
  let file: string;
  const scsi = doc('scsi__SEAGATE_ST4000NM0043__scrutiny-51fbf4.json');
  const nvme = doc('nvme__Samsung_SSD_970_EVO_500GB__scrutiny-34d3d8.json');
  const write = (entries: object[]) => writeOverridesFile(file, validateOverrides({ overrides: entries }, 'test'));
  const predictScsi = async () => client.request('predict', { devid: SCSI_DEVID, samples: [scsi] });
  /** The daemon's log reaches us through a pipe, after the reply that followed it. */
  async function logged(pattern: RegExp): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!pattern.test(d.stderr())) {
      if (Date.now() > deadline) throw new Error(`not logged: ${pattern}\n${d.stderr()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  beforeAll(async () => {
    const dir = tempDir();
    // the default location: beside the database, since no --config is given
    file = join(dir, 'overrides.json');
    write(ENTRIES);
    // the shared samples are years old: keep them past the default 180-day retention so ingest stores them
    d = await startDaemon({ dir, entry: [join(projectRoot, 'lib/cli/main.ts'), 'daemon'], args: ['--model', 'rules', '--retention-days', '36500'] });
    client = new DiskPredictClient({ socketPath: d.socketPath });
  });
  afterAll(async () => {
    client?.close();
    if (d) {
      expect(await d.stop()).toBe(0);
      cleanup(d);
    }
  });

  it('says at start how many overrides it read', () => {
    expect(d.stderr()).toMatch(/listening on .*; model rules 3; 3 overrides \(1 expired\);/);
  });

  it('predict: an accepted baseline turns the SCSI drive Good and the reply lists it (wire names)', async () => {
    const r = await predictScsi();
    expect(r['status']).toBe('Good');
    expect(r['overrides']).toEqual([
      {
        id: 'scsi-known',
        action: 'baseline',
        device: 'Z1Z5DWJK0000XXXXXXXX',
        attribute: 'scsi.grown_defects',
        baseline: 56,
        reported: 56,
        note: 'defects from 2021',
        text: 'SCSI grown defect list (scsi.grown_defects): 56 accepted by override scsi-known (reported 56, read as 0): defects from 2021',
      },
    ]);
  });

  it('predict_batch: each device gets its own overrides; a forced status carries its note and what the model said', async () => {
    const r = await client.request('predict_batch', { devices: [{ devid: SCSI_DEVID, samples: [scsi] }, { devid: NVME_DEVID, samples: [nvme] }, { devid: 'other', samples: [nvme] }] });
    const [a, b, c] = r['results'] as JsonObject[];
    expect(a).toMatchObject({ ok: true, status: 'Good' });
    expect(b).toMatchObject({ ok: true, devid: NVME_DEVID, status: 'Bad', cli: '<2w', reason: 'status forced to Bad by override nvme-bad until 2099-01-01: replace in the next window; the model said Warning' });
    expect(b!['overrides']).toEqual([expect.objectContaining({ id: 'nvme-bad', action: 'force', status: 'Bad', model_status: 'Warning', expires: '2099-01-01' })]);
    expect(typeof b!['life_expectancy_max']).toBe('string');
    // an entry keyed by devid follows that devid: the same samples sent as another device are not forced
    expect(c).toMatchObject({ ok: true, devid: 'other', status: 'Warning', overrides: [] });
  });

  it('ingest with predict, and predict from the stored history, apply them too', async () => {
    const ingested = await client.request('ingest', { devid: NVME_DEVID, samples: [nvme], predict: true });
    expect(ingested['stored']).toBe(1);
    expect(ingested['prediction']).toMatchObject({ status: 'Bad', overrides: [expect.objectContaining({ id: 'nvme-bad' })] });
    const stored = await client.request('predict', { devid: NVME_DEVID });
    expect(stored).toMatchObject({ status: 'Bad', samples_used: 1 });
  });

  it('reload re-reads the file; a bad file on reload is refused naming the entry, and the previous overrides stay', async () => {
    write(ENTRIES.slice(1));
    expect(await client.request('reload')).toMatchObject({ model: { name: 'rules' } });
    await logged(/reloaded: model rules 3; 2 overrides \(1 expired\); took \d+\.\d ms$/m);
    const plain = await predictScsi();
    expect(plain['status']).toBe('Warning');
    expect(plain['overrides']).toEqual([]);

    writeFileSync(file, JSON.stringify({ overrides: [{ id: 'typo', device: 'X', ignore: 'smart_5', expirse: '2027-01-01' }] }));
    const err = await client.request('reload').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiskPredictError);
    expect((err as Error).message).toBe(`BAD_MODEL: reload failed, still serving the previous models and overrides: overrides ${file}: overrides[0] (id typo): unknown key "expirse" (known: id, device, model, ignore, baseline, forceStatus, note, expires, created)`);
    const still = await client.request('predict', { devid: NVME_DEVID, samples: [nvme] });
    expect(still).toMatchObject({ status: 'Bad', overrides: [expect.objectContaining({ id: 'nvme-bad' })] });
  });

  it('SIGHUP re-reads it too, and a bad file then is logged while the previous overrides stay', async () => {
    write(ENTRIES);
    d.proc.kill('SIGHUP');
    const deadline = Date.now() + 10_000;
    while ((await predictScsi())['status'] !== 'Good') {
      if (Date.now() > deadline) throw new Error(`SIGHUP did not apply the overrides:\n${d.stderr()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    writeFileSync(file, '{"overrides": [');
    d.proc.kill('SIGHUP');
    await logged(/reload failed, still serving the previous models and overrides: overrides .*overrides\.json: /);
    expect((await predictScsi())['status']).toBe('Good');
  });
});

describe('daemon overrides file at start', () => {
  it('a named file that is missing, or broken, stops the start with one line naming it', async () => {
    const dir = tempDir();
    try {
      const missing = join(dir, 'nope.json');
      await expect(startDaemon({ dir, entry: [join(projectRoot, 'lib/cli/main.ts'), 'daemon'], args: ['--model', 'rules', '--overrides', missing] })).rejects.toThrow(
        new RegExp(`diskpredict daemon: overrides ${missing}: cannot read \\(ENOENT\\)`),
      );
      const broken = join(dir, 'config-overrides.json');
      writeFileSync(broken, JSON.stringify({ overrides: [{ device: 'X', ignore: 'smart_5', expires: 'soon' }] }));
      // named by the config file's `overrides` key (relative to the config file)
      const config = join(dir, 'config.json');
      writeFileSync(config, JSON.stringify({ overrides: 'config-overrides.json' }));
      await expect(startDaemon({ dir, entry: [join(projectRoot, 'lib/cli/main.ts'), 'daemon'], args: ['--model', 'rules', '--config', config] })).rejects.toThrow(
        /diskpredict daemon: overrides .*config-overrides\.json: overrides\[0\]: expires "soon" is not an ISO date/,
      );
    } finally {
      cleanup({ dir } as DaemonProcess);
    }
  });
});
