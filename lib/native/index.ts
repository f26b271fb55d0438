/**
 * The native addon's public face: whether it is in use, and the functions that dispatch to it or to their
 * TypeScript twins. DISKPREDICT_NATIVE=0 forces the twins (the test suite runs both ways in CI).
 */
import type { Socket } from 'node:net';
import type { FeatureColumns } from '../features/featurizeColumns.js';
import { defaultAddonPath, loadAddonFile, type NativeAddon, type PeerCredentials } from './addon.js';
import { PeerCredentialsError } from './errors.js';
import type { FeatureBatch } from './featureBatch.js';
import { featurizeBatchVia, featurizeColumnsVia } from './featurize.js';
import { predictRawRowsVia } from './forestScores.js';
import type { GbdtModel } from '../models/gbdt/index.js';
import { peerCredentialsVia, socketFd } from './peerCredentials.js';

export type { PeerCredentials } from './addon.js';
export { PeerCredentialsError };
export { packFeatureBatch, type FeatureBatch } from './featureBatch.js';

function loadConfiguredAddon(): { addon: NativeAddon | null; error?: string } {
  if (process.env['DISKPREDICT_NATIVE'] === '0') return { addon: null, error: 'disabled by DISKPREDICT_NATIVE=0' };
  const load = loadAddonFile(defaultAddonPath());
  return 'addon' in load ? { addon: load.addon } : { addon: null, error: load.error };
}

const loaded = loadConfiguredAddon();
const addon = loaded.addon;

/** True when the native addon is loaded and used. */
export const nativeEnabled: boolean = addon !== null;
/** Why the addon is not in use (absent when it is). */
export const nativeLoadError: string | undefined = loaded.error;
/** Which build system produced the loaded addon ("cmake-js" / "node-gyp"), when loaded. */
export const nativeBuilder: string | undefined = addon?.builder;

/**
 * Gives memory the C library holds freed back to the system (glibc malloc_trim). Without the addon, or with a build
 * from before it had this, or off glibc, it does nothing and says false: nothing in JavaScript can do it.
 */
export function releaseFreedMemory(): boolean {
  return typeof addon?.mallocTrim === 'function' ? addon.mallocTrim() : false;
}

/** Bytes the C library holds free (what malloc_trim could give back); NaN without the addon or off glibc ≥ 2.33. */
export function allocatorFreeBytes(): number {
  const bytes = typeof addon?.mallocFreeBytes === 'function' ? addon.mallocFreeBytes() : -1;
  return bytes >= 0 ? bytes : NaN;
}

/**
 * Fixes glibc's mmap and trim thresholds (a long-running daemon's setting: large freed blocks go back to the system
 * at once instead of staying in the arenas). An operator's own MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_
 * wins: then nothing is changed. False without the addon, off glibc, or when the environment already decides.
 */
export function fixMallocThresholds(mmapBytes: number, trimBytes: number): boolean {
  if (process.env['MALLOC_MMAP_THRESHOLD_'] !== undefined || process.env['MALLOC_TRIM_THRESHOLD_'] !== undefined) return false;
  return typeof addon?.fixMallocThresholds === 'function' ? addon.fixMallocThresholds(mmapBytes, trimBytes) : false;
}

/**
 * The peer's credentials on a connected Unix-socket file descriptor; null without the addon.
 * Throws PeerCredentialsError when the lookup fails (bad fd, not a socket).
 */
export function peerCredentials(fd: number): PeerCredentials | null {
  return peerCredentialsVia(addon, fd);
}

/**
 * peerCredentials for a connected net.Socket (a Unix-socket server's connection); null without the addon.
 * Throws PeerCredentialsError (EBADF) when the socket has no descriptor (already closed).
 */
export function peerCredentialsOfSocket(socket: Socket): PeerCredentials | null {
  if (!addon) return null;
  const fd = socketFd(socket);
  if (fd === null) throw new PeerCredentialsError('peerCredentials: the socket has no file descriptor', 'EBADF');
  return peerCredentialsVia(addon, fd);
}

/**
 * lib/features/featurizeColumns.ts, through the addon when it is loaded: same signature, bit-identical output
 * (test/native/featurizeParity.test.ts).
 */
export function featurizeColumns(input: FeatureColumns, out?: Float64Array): Float64Array {
  return featurizeColumnsVia(addon, input, out);
}

/**
 * Many histories at once (see packFeatureBatch): one native call for a whole fleet; without the addon, the
 * TypeScript function on each history's rows.
 */
export function featurizeBatch(batch: FeatureBatch, out?: Float64Array): Float64Array {
  return featurizeBatchVia(addon, batch, out);
}

/**
 * model.predictRaw(matrix, i · stride) for every row i < rows, in one native loop when the addon is loaded
 * (bit-identical: test/native/forestParity.test.ts). stride defaults to FEATURE_COUNT.
 */
export function predictRawRows(model: GbdtModel, matrix: Float64Array, rows: number, stride?: number): Float64Array {
  return predictRawRowsVia(addon, model, matrix, rows, stride);
}
