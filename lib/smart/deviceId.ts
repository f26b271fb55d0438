/**
 * The one rule that names a device: Ceph's devid, so a device read from smartctl files, a Ceph
 * dump or the daemon's store carries the same name. Ceph (`get_device_id` in
 * src/common/blkdev.cc) builds it from udev's identity: `<vendor>_<model>_<serial>` for SCSI
 * (INQUIRY vendor + product, whose serial is the real one), otherwise `<model>_<serial>`, with
 * spaces replaced by `_` — e.g. `ST4000DM000-1F2168_Z300K1Z7`. Our readers already put a SCSI
 * drive's "vendor product" in `model`, so one rule covers both. udev trims and collapses
 * whitespace before Ceph sees it, so runs of whitespace become one `_` here as well.
 *
 * Where the serial is missing (some RAID pass-through and USB bridges hide it) the WWN, which is
 * unique per device by construction, stands in for it. Without either there is no identity: such
 * a sample is never merged with another.
 */
import type { DeviceHistory, DeviceIdentity } from './types.js';

function devidPart(text: string): string {
  return text.trim().replace(/\s+/g, '_');
}

export function deviceIdOf(device: DeviceIdentity): string | undefined {
  const model = device.model !== undefined ? devidPart(device.model) : '';
  const serial = device.serial !== undefined ? devidPart(device.serial) : '';
  if (model === '') return undefined;
  if (serial !== '') return `${model}_${serial}`;
  if (device.wwn !== undefined) return `${model}_${device.wwn}`;
  return undefined;
}

/** smartctl's `wwn` object → the 16 hex digits smartctl prints (NAA 1 digit, OUI 6, id 9). */
export function formatWwn(naa: number, oui: number, id: number): string {
  return `${naa.toString(16)}${oui.toString(16).padStart(6, '0')}${id.toString(16).padStart(9, '0')}`;
}

/** A history's devid: the one it carries (a Ceph dashboard map's key), else its newest sample's. */
export function historyDeviceId(history: DeviceHistory): string | undefined {
  if (history.devid !== undefined) return history.devid;
  for (let i = history.samples.length - 1; i >= 0; i--) {
    const id = deviceIdOf(history.samples[i]!.device);
    if (id !== undefined) return id;
  }
  return undefined;
}
