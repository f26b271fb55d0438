/**
 * The real daemon (the CLI's, on a real Unix socket) with the shipped model plus a training drive list: every
 * prediction says its familiarity, `metrics` counts devices by it, and a predict_batch in which too many devices
 * are Bad carries the fleet alarm (logged once, counted), while one below the budget does not.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModelFile, writeModelFile } from '../../lib/models/modelFile.js';
import { defaultModelPath } from '../../lib/predict/registry.js';
import type { JsonObject } from '../../lib/util/json.js';
import { DiskPredictClient } from '../../lib/client/index.js';
import { fakeSmartctl } from '../collect/fakeSmartctl.js';
import { describeShared, sharedPath } from '../helpers/shared.js';
import { cleanup, daemonForSuite, projectRoot, startDaemon } from './helpers/daemonProcess.js';
import { dailyCephHealthMap, smartctlDoc } from './helpers/smartctlDocs.js';

const modelDir = mkdtempSync(join(tmpdir(), 'dp-fleet-model-'));
const modelPath = join(modelDir, 'model.json');
{
  const { checksum: _, ...body } = loadModelFile(defaultModelPath());
  writeModelFile(modelPath, { ...body, training: { ...body.training, driveModels: ['ST4000DM000', 'HGST HMS5C4040BLE640'] } });
}
afterAll(() => rmSync(modelDir, { recursive: true, force: true }));

const END_S = Math.floor(Date.UTC(2026, 10, 30) / 1000);

interface Drive {
  devid: string;
  model: string;
  /** SMART overall health failed: Bad whatever the score */
  failed: boolean;
}

function drives(prefix: string, model: string, n: number, failed: number): Drive[] {
  return Array.from({ length: n }, (_, i) => ({ devid: `${prefix}-${model.replace(/\W+/g, '_')}-${i}`, model, failed: i < failed }));
}

function batch(list: Drive[]): JsonObject[] {
  return list.map((d) => ({
    devid: d.devid,
    samples: dailyCephHealthMap(END_S, 3, (timeS) => ({ ...smartctlDoc({ timeS, serial: d.devid }), model_name: d.model, smart_status: { passed: !d.failed } })),
  }));
}

describe('daemon: familiarity and the fleet alarm budget', () => {
  const suite = daemonForSuite({ entry: [join(projectRoot, 'lib/cli/main.ts'), 'daemon'], args: ['--model', modelPath] });

  it('raises the fleet alarm when more than 5 % (and at least 3) of a predict_batch are Bad, and still answers every device', async () => {
    const fleet = [...drives('a', 'ST4000DM000-1F2168', 16, 4), ...drives('a', 'HGST HUH721212ALE604', 8, 1)];
    const reply = await suite.client().request('predict_batch', { devices: batch(fleet) });
    const results = reply['results'] as JsonObject[];
    expect(results.map((r) => [r['devid'], r['status'], r['familiarity']])).toEqual(
      fleet.map((d) => [d.devid, d.failed ? 'Bad' : expect.not.stringMatching(/^Bad$/), d.model.startsWith('ST4000DM000') ? 'model' : 'vendor']),
    );
    expect(reply['fleet_alarm']).toEqual({
      bad_devices: 5,
      fleet_size: 24,
      share: 5 / 24,
      max_share: 0.05,
      min_devices: 3,
      models: [
        { model: 'ST4000DM000-1F2168', bad: 4, total: 16 },
        { model: 'HGST HUH721212ALE604', bad: 1, total: 8 },
      ],
      message: expect.stringContaining('5 of 24 devices (20.8 %) Bad in one pass: ST4000DM000-1F2168 4/16, HGST HUH721212ALE604 1/8 — more likely a model mismatch'),
    });
    expect(suite.daemon().stderr().match(/fleet alarm \(predict_batch\)/g)).toHaveLength(1);
    // the tally a client adds up when it sends one pass in several requests
    expect(reply['fleet']).toEqual({
      devices: 24,
      bad: 5,
      models: [
        { model: 'ST4000DM000-1F2168', bad: 4, total: 16 },
        { model: 'HGST HUH721212ALE604', bad: 1, total: 8 },
      ],
    });
  });

  it('says nothing below the budget: too few Bad devices, or a share not above 5 %', async () => {
    const small = await suite.client().request('predict_batch', { devices: batch(drives('b', 'ST4000DM000-1F2168', 20, 2)) });
    expect((small['results'] as JsonObject[]).filter((r) => r['status'] === 'Bad')).toHaveLength(2);
    expect(small['fleet_alarm']).toBeNull();
    const large = await suite.client().request('predict_batch', { devices: batch([...drives('c', 'ST4000DM000-1F2168', 40, 3), ...drives('c', 'TOSHIBA MG07ACA14TA', 21, 0)]) });
    expect((large['results'] as JsonObject[]).filter((r) => r['status'] === 'Bad')).toHaveLength(3); // 3 of 61: 4.9 %
    expect(large['fleet_alarm']).toBeNull();
    expect(large['fleet']).toEqual({ devices: 61, bad: 3, models: [{ model: 'ST4000DM000-1F2168', bad: 3, total: 40 }, { model: 'TOSHIBA MG07ACA14TA', bad: 0, total: 21 }] });
    expect(suite.daemon().stderr().match(/fleet alarm/g)).toHaveLength(1);
  });

  it('counts devices by familiarity and fleet alarms in its metrics', async () => {
    const text = (await suite.client().request('metrics'))['text'] as string;
    // model: 16 + 20 + 40 ST4000DM000; vendor: the 8 HGST Ultrastars; none: the 21 Toshibas (no trained Toshiba)
    expect(text).toContain('diskpredict_devices_by_familiarity{familiarity="model"} 76');
    expect(text).toContain('diskpredict_devices_by_familiarity{familiarity="family"} 0');
    expect(text).toContain('diskpredict_devices_by_familiarity{familiarity="vendor"} 8');
    expect(text).toContain('diskpredict_devices_by_familiarity{familiarity="none"} 21');
    expect(text).toContain('diskpredict_devices_by_familiarity{familiarity="unknown"} 0');
    expect(text).toContain('diskpredict_fleet_alarms_total{source="predict_batch"} 1');
    // the last pass was below the budget
    expect(text).toContain('diskpredict_fleet_alarm_active{source="predict_batch"} 0');
  });

  it('answers familiarity null with a predictor that names no training drives', async () => {
    const [d] = batch(drives('d', 'ST4000DM000-1F2168', 1, 0));
    const reply = await suite.client().request('predict', { ...d!, model: 'rules' });
    expect(reply['familiarity']).toBeNull();
    const text = (await suite.client().request('metrics'))['text'] as string;
    expect(text).toContain('diskpredict_devices_by_familiarity{familiarity="unknown"} 1');
  });
});

describeShared('daemon --collect-interval: a collection pass is a fleet pass', () => {
  it('raises the fleet alarm when three of four collected disks fail their SMART self-assessment', async () => {
    const failing = sharedPath('smartctl/ata_hdd__Hitachi_HDS721050DLE630__scrutiny-e026ee.json'); // smart_status.passed false
    const healthy = sharedPath('smartctl/ata_hdd__HGST_HUS724020ALA640__smartctl_exporter-ee0794.json');
    const names = ['/dev/sda', '/dev/sdb', '/dev/sdc', '/dev/sdd'];
    const fake = fakeSmartctl({
      scan: names.map((name) => ({ name, type: 'sat' })),
      devices: {
        '/dev/sda': { replay: failing, serial: 'FLEET0001' },
        '/dev/sdb': { replay: failing, serial: 'FLEET0002' },
        '/dev/sdc': { replay: failing, serial: 'FLEET0003' },
        '/dev/sdd': { replay: healthy, serial: 'FLEET0004' },
      },
    });
    const d = await startDaemon({ entry: [join(projectRoot, 'lib/cli/main.ts'), 'daemon'], args: ['--model', modelPath, '--collect-interval', '3600'], env: fake.env });
    const client = new DiskPredictClient({ socketPath: d.socketPath });
    try {
      const deadline = Date.now() + 30_000;
      while (!/collect: 4 device\(s\)/.test(d.stderr()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(d.stderr()).toMatch(/fleet alarm \(collect\): 3 of 4 devices \(75\.0 %\) Bad in one pass: Hitachi HDS721050DLE630 3\/3/);
      const text = (await client.request('metrics'))['text'] as string;
      expect(text).toContain('diskpredict_fleet_alarms_total{source="collect"} 1');
      expect(text).toContain('diskpredict_fleet_alarm_active{source="collect"} 1');
      // Hitachi and HGST are one lineage, and the HGST drive's family (HUS72) was not trained
      expect(text).toContain('diskpredict_devices_by_familiarity{familiarity="vendor"} 4');
    } finally {
      client.close();
      expect(await d.stop()).toBe(0);
      cleanup(d);
    }
  }, 60_000);
});
