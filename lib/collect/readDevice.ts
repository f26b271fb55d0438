/**
 * One device: `smartctl -x --json=o -n standby [-d TYPE] NAME`. `-n standby` makes smartctl stop before any
 * command that would spin the disk up; it then exits with status 2 (bit 1) and says "Device is in STANDBY mode"
 * (smartctl(8), `-n`; the line is a JSON message, or with `--json=o` also in `output`; 7.5 adds a `power_mode`
 * object). Such a disk is `standby`: skipped, never read, never a failure. `--json=o` keeps smartctl's
 * own output lines (`output`), which this does not need but Ceph's dumps carry; the samples stay alike.
 */
import { isJsonObject, parseJsonExact, type JsonObject, type JsonValue } from '../util/json.js';
import { deviceIdOf } from '../smart/deviceId.js';
import { SmartParseError } from '../smart/errors.js';
import { readSmartctlJson } from '../smart/readSmartctlJson.js';
import { targetLabel, type CollectTarget } from './collectTarget.js';
import { exitStatusHasNoData, exitStatusWarnings } from './exitStatus.js';
import { runSmartctl, type SmartctlRunOptions } from './runSmartctl.js';

export type DeviceReading =
  | { kind: 'data'; target: CollectTarget; devid: string; doc: JsonObject; exitStatus: number; warnings: string[] }
  | { kind: 'standby'; target: CollectTarget; message: string }
  | { kind: 'no-data'; target: CollectTarget; exitStatus: number | null; message: string }
  | { kind: 'error'; target: CollectTarget; message: string };

const LOW_POWER_MESSAGE = /device is in \S+ mode/i;

export function smartctlReadArgs(target: CollectTarget): string[] {
  return ['-x', '--json=o', '-n', 'standby', ...(target.type !== undefined ? ['-d', target.type] : []), target.name];
}

export async function readDevice(target: CollectTarget, options: SmartctlRunOptions = {}): Promise<DeviceReading> {
  const run = await runSmartctl(smartctlReadArgs(target), options);
  const label = targetLabel(target);
  if (run.spawnError !== undefined) return { kind: 'error', target, message: `cannot run smartctl: ${run.spawnError}` };
  if (run.timedOut) return { kind: 'error', target, message: `smartctl on ${label} did not finish within ${options.timeoutMs ?? 'the timeout'} ms; killed` };
  if (run.oversize) return { kind: 'error', target, message: `smartctl on ${label} printed more than ${options.maxOutputBytes ?? 'the cap'} bytes; killed` };
  let doc: JsonValue;
  try {
    doc = parseJsonExact(run.stdout);
  } catch (err) {
    const stderr = run.stderr.trim();
    return { kind: 'error', target, message: `smartctl on ${label} (exit status ${run.exitCode}) printed no JSON: ${err instanceof Error ? err.message : String(err)}${stderr ? `; stderr: ${stderr.slice(0, 200)}` : ''}` };
  }
  if (!isJsonObject(doc)) return { kind: 'error', target, message: `smartctl on ${label} printed JSON that is not an object` };
  // smartctl's own exit_status equals the process's; the JSON one is what the reader checks too.
  const exitStatus = exitStatusOf(doc) ?? run.exitCode ?? 0;
  const messages = messagesOf(doc);
  if (exitStatusHasNoData(exitStatus)) {
    const lowPower = [...messages, ...outputLinesOf(doc)].find((m) => LOW_POWER_MESSAGE.test(m));
    if (lowPower !== undefined) return { kind: 'standby', target, message: lowPower };
    if (isJsonObject(doc['power_mode'])) return { kind: 'standby', target, message: `device in a low-power mode (power_mode ${JSON.stringify(doc['power_mode'])})` };
    return { kind: 'no-data', target, exitStatus, message: messages.join('; ') || `smartctl exit status ${exitStatus}` };
  }
  try {
    const sample = readSmartctlJson(doc, { format: 'smartctl', cephDayDict: false });
    const devid = deviceIdOf(sample.device);
    if (devid === undefined) return { kind: 'no-data', target, exitStatus, message: `${label}: no model and serial/WWN, so no device id` };
    return { kind: 'data', target, devid, doc, exitStatus, warnings: exitStatusWarnings(exitStatus) };
  } catch (err) {
    if (err instanceof SmartParseError) return { kind: 'no-data', target, exitStatus, message: err.message };
    throw err;
  }
}

function exitStatusOf(doc: JsonObject): number | undefined {
  const smartctl = doc['smartctl'];
  const status = isJsonObject(smartctl) ? smartctl['exit_status'] : undefined;
  return typeof status === 'number' && Number.isInteger(status) ? status : undefined;
}

function messagesOf(doc: JsonObject): string[] {
  const smartctl = doc['smartctl'];
  const messages = isJsonObject(smartctl) ? smartctl['messages'] : undefined;
  if (!Array.isArray(messages)) return [];
  return messages.flatMap((m) => (isJsonObject(m) && typeof m['string'] === 'string' ? [m['string']] : []));
}

function outputLinesOf(doc: JsonObject): string[] {
  const smartctl = doc['smartctl'];
  const output = isJsonObject(smartctl) ? smartctl['output'] : undefined;
  return Array.isArray(output) ? output.filter((l): l is string => typeof l === 'string') : [];
}
