/**
 * Drive-disjoint splits by a hash of the trimmed serial number (and the seed), so a drive is on
 * one side in every file it appears in, and a re-run with the same seed splits the same way.
 */
import { createHash } from 'node:crypto';

export type SplitSide = 'fit' | 'earlyStop' | 'validation';

/** A number in [0, 1) from sha256(salt:seed:serial). */
export function serialBucket(serial: string, seed: number, salt: string): number {
  const h = createHash('sha256').update(`${salt}:${seed}:${serial.trim()}`).digest();
  return h.readUInt32BE(0) / 2 ** 32;
}

export interface SplitFractions {
  /** share of drives held out for validation metrics and thresholds */
  validation: number;
  /** share of the remaining drives used only for early stopping and calibration */
  earlyStop: number;
}

export const DEFAULT_SPLIT: SplitFractions = { validation: 0.3, earlyStop: 0.15 };

export function splitSide(serial: string, seed: number, f: SplitFractions = DEFAULT_SPLIT): SplitSide {
  if (serialBucket(serial, seed, 'diskpredict-validation') < f.validation) return 'validation';
  return serialBucket(serial, seed, 'diskpredict-earlystop') < f.earlyStop ? 'earlyStop' : 'fit';
}
