/**
 * One collection pass: every device read in turn, each reading with data handed to a sink (the daemon's store,
 * directly or over the socket). A device that fails — smartctl, parsing, or the sink — is reported and the pass
 * goes on; only a failing scan (no device list at all) fails the pass.
 */
import type { JsonObject } from '../util/json.js';
import { targetLabel, type CollectTarget } from './collectTarget.js';
import { readDevice } from './readDevice.js';
import type { SmartctlRunOptions } from './runSmartctl.js';
import { scanDevices } from './scanDevices.js';

/** Where readings go. `prediction` is whatever the sink's store produced (a status), if it predicts. */
export interface CollectSink {
  ingest(devid: string, doc: JsonObject): Promise<{ stored: number; duplicates: number; status?: string }>;
}

export type DeviceOutcome =
  | { device: string; outcome: 'stored'; devid: string; stored: number; duplicates: number; warnings: string[]; status?: string }
  | { device: string; outcome: 'standby'; message: string }
  | { device: string; outcome: 'no-data'; message: string }
  | { device: string; outcome: 'error'; message: string; devid?: string };

export interface CollectReport {
  /** Unix ms when the pass started */
  startedAt: number;
  devices: DeviceOutcome[];
}

export interface CollectOptions extends SmartctlRunOptions {
  /** read these instead of scanning */
  targets?: readonly CollectTarget[];
  sink: CollectSink;
}

export async function collectPass(options: CollectOptions): Promise<CollectReport> {
  const startedAt = Date.now();
  const devices: DeviceOutcome[] = [];
  let targets = options.targets;
  if (targets === undefined) {
    const scan = await scanDevices(options);
    targets = scan.targets;
    for (const e of scan.openErrors) devices.push({ device: e.name, outcome: 'error', message: `smartctl --scan-open: ${e.message}` });
  }
  for (const target of targets) devices.push(await collectOne(target, options));
  return { startedAt, devices };
}

async function collectOne(target: CollectTarget, options: CollectOptions): Promise<DeviceOutcome> {
  const device = targetLabel(target);
  let devid: string | undefined;
  try {
    const reading = await readDevice(target, options);
    switch (reading.kind) {
      case 'standby':
        return { device, outcome: 'standby', message: reading.message };
      case 'no-data':
        return { device, outcome: 'no-data', message: reading.message };
      case 'error':
        return { device, outcome: 'error', message: reading.message };
      case 'data': {
        devid = reading.devid;
        const result = await options.sink.ingest(reading.devid, reading.doc);
        return { device, outcome: 'stored', devid: reading.devid, stored: result.stored, duplicates: result.duplicates, warnings: reading.warnings, ...(result.status !== undefined && { status: result.status }) };
      }
    }
  } catch (err) {
    return { device, outcome: 'error', message: err instanceof Error ? err.message : String(err), ...(devid !== undefined && { devid }) };
  }
}
