/**
 * Decides which samples with the same devid really are one device. A devid can be shared by
 * different devices (masked or placeholder serials such as `REDACTED`, test fixtures, a reused
 * serial); merging them would build one history out of several drives. Samples cannot belong to
 * one device when two of them carry the same time, when power-on hours go backwards in time by
 * more than POWER_ON_HOURS_NOISE, or when their WWNs differ. Such a piece is kept as a device of
 * its own (`<devid>#2`, `#3`, …) and reported as an IdentityConflict — never merged, never dropped.
 *
 * Pieces are placed in the order given (file order): each joins the first device of its devid it
 * is consistent with. Only times and power-on hours are kept, so the check also fits streaming
 * readers that hold no samples.
 */
import type { SmartSample } from './types.js';

// Power-on hours come from different places (the power_on_time section, attribute 9, the NVMe
// log) that round differently; an hour or two of disagreement is not a different device.
export const POWER_ON_HOURS_NOISE = 2;

export type IdentityConflictReason = 'same-time' | 'power-on-hours-backwards' | 'wwn-differs';

/** A piece (file, or one device of a file) that shares a devid with a device it cannot be. */
export interface IdentityConflict {
  devid: string;
  reason: IdentityConflictReason;
  /** the name the piece was kept under instead (`<devid>#n`) */
  keptAs: string;
  /** the files of the piece kept apart */
  files: string[];
  /** the files of the device it clashed with */
  clashesWith: string[];
  /** human-readable detail: the times or hours that clash */
  message: string;
}

interface Chain {
  key: string;
  /** sample times (ms), ascending */
  times: number[];
  /** power-on hours per time (NaN: not reported) */
  hours: number[];
  wwn?: string;
  files: string[];
}

export interface Placement {
  key: string;
  conflict?: IdentityConflict;
}

export class DeviceChains {
  private readonly byDevid = new Map<string, Chain[]>();

  /** Places one piece (samples of one device by construction) and returns the key it goes under. */
  place(devid: string, samples: readonly SmartSample[], file: string): Placement {
    const chains = this.byDevid.get(devid) ?? [];
    this.byDevid.set(devid, chains);
    const piece = pieceOf(samples);
    let first: { chain: Chain; reason: IdentityConflictReason; message: string } | undefined;
    for (const chain of chains) {
      const clash = findClash(chain, piece);
      if (!clash) {
        addPiece(chain, piece, file);
        return { key: chain.key };
      }
      first ??= { chain, ...clash };
    }
    const key = chains.length === 0 ? devid : `${devid}#${chains.length + 1}`;
    const chain: Chain = { key, times: [], hours: [], files: [] };
    addPiece(chain, piece, file);
    chains.push(chain);
    if (!first) return { key };
    return {
      key,
      conflict: { devid, reason: first.reason, keptAs: key, files: [file], clashesWith: [...first.chain.files], message: first.message },
    };
  }
}

interface Piece {
  times: number[];
  hours: number[];
  wwn?: string;
}

function pieceOf(samples: readonly SmartSample[]): Piece {
  const sorted = [...samples].sort((a, b) => a.time - b.time);
  const piece: Piece = { times: sorted.map((s) => s.time), hours: sorted.map((s) => s.powerOnHours ?? Number.NaN) };
  for (const s of sorted) if (s.device.wwn !== undefined) piece.wwn = s.device.wwn; // the newest
  return piece;
}

function findClash(chain: Chain, piece: Piece): { reason: IdentityConflictReason; message: string } | undefined {
  if (chain.wwn !== undefined && piece.wwn !== undefined && chain.wwn !== piece.wwn) {
    return { reason: 'wwn-differs', message: `WWN ${piece.wwn} differs from ${chain.wwn}` };
  }
  for (let i = 0; i < piece.times.length; i++) {
    const t = piece.times[i]!;
    const h = piece.hours[i]!;
    const at = lowerBound(chain.times, t);
    if (chain.times[at] === t) return { reason: 'same-time', message: `two samples at ${new Date(t).toISOString()}` };
    if (Number.isNaN(h)) continue;
    const before = lastHours(chain.hours, at - 1);
    if (before !== undefined && before.hours - h > POWER_ON_HOURS_NOISE) {
      return { reason: 'power-on-hours-backwards', message: backwards(chain.times[before.index]!, before.hours, t, h) };
    }
    const after = nextHours(chain.hours, at);
    if (after !== undefined && h - after.hours > POWER_ON_HOURS_NOISE) {
      return { reason: 'power-on-hours-backwards', message: backwards(t, h, chain.times[after.index]!, after.hours) };
    }
  }
  return undefined;
}

function backwards(t1: number, h1: number, t2: number, h2: number): string {
  return `power-on hours go from ${h1} at ${new Date(t1).toISOString()} back to ${h2} at ${new Date(t2).toISOString()}`;
}

function addPiece(chain: Chain, piece: Piece, file: string): void {
  const merged = piece.times.map((t, i) => [t, piece.hours[i]!] as const).concat(chain.times.map((t, i) => [t, chain.hours[i]!] as const));
  merged.sort((a, b) => a[0] - b[0]);
  chain.times = merged.map((m) => m[0]);
  chain.hours = merged.map((m) => m[1]);
  if (piece.wwn !== undefined) chain.wwn ??= piece.wwn;
  if (!chain.files.includes(file)) chain.files.push(file);
}

function lowerBound(sorted: readonly number[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function lastHours(hours: readonly number[], from: number): { index: number; hours: number } | undefined {
  for (let i = from; i >= 0; i--) if (!Number.isNaN(hours[i]!)) return { index: i, hours: hours[i]! };
  return undefined;
}

function nextHours(hours: readonly number[], from: number): { index: number; hours: number } | undefined {
  for (let i = from; i < hours.length; i++) if (!Number.isNaN(hours[i]!)) return { index: i, hours: hours[i]! };
  return undefined;
}
