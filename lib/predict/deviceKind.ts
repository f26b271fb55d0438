/** Which scorer a device gets: our model only knows ATA hard drives (the only failures in the data). */
import type { DeviceHistory, SmartSample } from '../smart/types.js';

export type DeviceKind = 'ata-hdd' | 'ata-ssd' | 'nvme' | 'scsi' | 'none';

export function sampleKind(s: SmartSample): DeviceKind {
  if (s.device.protocol === 'nvme' || s.nvme !== undefined) return 'nvme';
  if (s.device.protocol === 'scsi' || (s.scsi !== undefined && s.ata === undefined)) return 'scsi';
  if (s.device.ssd === true || s.device.rotationRate === 0) return 'ata-ssd';
  if (s.device.protocol === 'ata' || s.ata !== undefined) return 'ata-hdd';
  return 'none';
}

/** The kind of the newest sample that says anything (devices do not change kind). */
export function deviceKind(history: DeviceHistory): DeviceKind {
  for (let i = history.samples.length - 1; i >= 0; i--) {
    const k = sampleKind(history.samples[i]!);
    if (k !== 'none') return k;
  }
  return 'none';
}
