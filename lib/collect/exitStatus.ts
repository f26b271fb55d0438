import { NO_DATA_BITS } from '../smart/readSmartctlJson.js';

/**
 * smartctl's exit status is a bit mask (smartctl(8), "EXIT STATUS"). Bits 0–1 mean it read nothing usable (bad
 * command line; device open failed or, with `-n`, the device is in a low-power mode); the others come with data.
 */
export const EXIT_STATUS_BITS = [
  'command line did not parse',
  'device open failed, or device in a low-power mode (-n)',
  'a SMART or ATA command failed, or a checksum error in a SMART data structure',
  'SMART status check returned "DISK FAILING"',
  'prefail attributes at or below threshold',
  'usage or prefail attributes were at or below threshold in the past',
  'the device error log contains errors',
  'the self-test log contains errors',
] as const;

/** True when smartctl read nothing usable (bits 0–1; the reader's rule, lib/smart/readSmartctlJson.ts). */
export function exitStatusHasNoData(status: number): boolean {
  return (status & NO_DATA_BITS) !== 0;
}

/** The names of the warning bits (2–7) set in `status`. */
export function exitStatusWarnings(status: number): string[] {
  const out: string[] = [];
  for (let bit = 2; bit < 8; bit++) if (status & (1 << bit)) out.push(`bit ${bit}: ${EXIT_STATUS_BITS[bit]}`);
  return out;
}
