/** `smartctl --scan-open --json`: the devices smartctl can open, with the type it found for each. */
import { isJsonObject, parseJsonExact, type JsonValue } from '../util/json.js';
import type { CollectTarget } from './collectTarget.js';
import { runSmartctl, type SmartctlRunOptions } from './runSmartctl.js';

export class SmartctlScanError extends Error {
  override readonly name = 'SmartctlScanError';
}

export interface ScanResult {
  targets: CollectTarget[];
  /** devices the scan listed but could not open (`open_error`), with smartctl's message */
  openErrors: { name: string; message: string }[];
}

export async function scanDevices(options: SmartctlRunOptions = {}): Promise<ScanResult> {
  const run = await runSmartctl(['--scan-open', '--json'], options);
  if (run.spawnError !== undefined) throw new SmartctlScanError(`cannot run smartctl: ${run.spawnError}`);
  if (run.timedOut) throw new SmartctlScanError('smartctl --scan-open timed out');
  if (run.oversize) throw new SmartctlScanError('smartctl --scan-open output exceeded its size cap');
  let doc: JsonValue;
  try {
    doc = parseJsonExact(run.stdout);
  } catch (err) {
    throw new SmartctlScanError(`smartctl --scan-open --json printed no JSON (exit status ${run.exitCode}): ${err instanceof Error ? err.message : String(err)}`);
  }
  return scanResultOf(doc);
}

export function scanResultOf(doc: JsonValue): ScanResult {
  if (!isJsonObject(doc)) throw new SmartctlScanError('smartctl --scan-open --json: not a JSON object');
  const devices = doc['devices'];
  const out: ScanResult = { targets: [], openErrors: [] };
  if (devices === undefined) return out;
  if (!Array.isArray(devices)) throw new SmartctlScanError('smartctl --scan-open --json: devices is not an array');
  for (const d of devices) {
    if (!isJsonObject(d) || typeof d['name'] !== 'string' || d['name'] === '') continue;
    const name = d['name'];
    if (typeof d['open_error'] === 'string') {
      out.openErrors.push({ name, message: d['open_error'] });
      continue;
    }
    out.targets.push(typeof d['type'] === 'string' && d['type'] !== '' ? { name, type: d['type'] } : { name });
  }
  return out;
}
