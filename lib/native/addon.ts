/**
 * Loading the optional native addon (native/, built by scripts/build-native.mjs). A missing, stale or broken build
 * is not an error for the library: the caller falls back to the TypeScript twins. An addon whose feature port no
 * longer fits the TypeScript layout (attribute count, kinds) is refused the same way.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import { packageRoot } from '../util/packageInfo.js';
import { nativeFeatureLayout } from './featureLayout.js';

/** native/addon.cc kInterfaceVersion: bumped whenever an export's signature or semantics change. */
export const NATIVE_INTERFACE_VERSION = 2;

export interface PeerCredentials {
  uid: number;
  gid: number;
  pid: number;
}

/** What the addon exports (native/addon.cc). */
export interface NativeAddon {
  interfaceVersion: number;
  /** Which build system produced it: "cmake-js" or "node-gyp". */
  builder: string;
  peerCredentials(fd: number): PeerCredentials;
  /** glibc malloc_trim(0): true when memory went back to the system. Absent from builds before it was added. */
  mallocTrim?(): boolean;
  fixMallocThresholds?(mmapBytes: number, trimBytes: number): boolean;
  mallocFreeBytes?(): number;
  /** Hands the addon the feature layout (lib/native/featureLayout.ts); throws if the C++ port no longer fits it. */
  featureSetup(monotonic: Uint8Array, errorSumSlots: Int32Array, featureCount: number): void;
  featurizeColumns(
    days: Int32Array,
    raw: Float64Array[],
    norm: Float64Array[],
    capacityBytes: number,
    vendorCode: number,
    out: Float64Array,
  ): void;
  featurizeBatch(
    offsets: Int32Array,
    days: Int32Array,
    raw: Float64Array[],
    norm: Float64Array[],
    capacityBytes: Float64Array,
    vendorCode: Float64Array,
    out: Float64Array,
  ): void;
  forestRawScores(
    roots: Int32Array,
    feature: Int32Array,
    threshold: Float64Array,
    child: Int32Array,
    defaultLeft: Uint8Array,
    value: Float64Array,
    baseScore: number,
    matrix: Float64Array,
    rows: number,
    stride: number,
    out: Float64Array,
  ): void;
}

export type AddonLoad = { addon: NativeAddon; path: string } | { error: string; path: string };

/** Where scripts/build-native.mjs installs the addon, relative to the package root. */
export const ADDON_RELATIVE_PATH = join('build', 'Release', 'diskpredict_native.node');

export function defaultAddonPath(): string {
  return join(packageRoot(), ADDON_RELATIVE_PATH);
}

/**
 * How to get the addon built, fitting where this package sits: in a clone, the project's own
 * script; installed as someone's dependency, a rebuild of the package (the addon is optional there:
 * the TypeScript twins give the same results).
 */
export function rebuildAdvice(root: string = packageRoot()): string {
  if (root.split(sep).includes('node_modules')) {
    return 'optional, the results are the same without it; to build it: a C++17 compiler, make and python3, then npm rebuild diskpredict';
  }
  return 'run npm run build:native';
}

/** Loads one addon file and checks it exports the interface this library was written against. */
export function loadAddonFile(path: string): AddonLoad {
  if (!existsSync(path)) return { path, error: `not built (${path} missing; ${rebuildAdvice()})` };
  let loaded: unknown;
  try {
    loaded = createRequire(import.meta.url)(path);
  } catch (err) {
    return { path, error: `cannot load ${path}: ${err instanceof Error ? err.message : String(err)}` };
  }
  const problem = interfaceProblem(loaded);
  if (problem) return { path, error: `${path}: ${problem}; ${rebuildAdvice()}` };
  const addon = loaded as NativeAddon;
  const layout = nativeFeatureLayout();
  try {
    addon.featureSetup(layout.monotonic, layout.errorSumSlots, layout.featureCount);
  } catch (err) {
    return { path, error: `${path}: ${err instanceof Error ? err.message : String(err)}` };
  }
  return { path, addon };
}

function interfaceProblem(loaded: unknown): string | null {
  if (typeof loaded !== 'object' || loaded === null) return 'does not export an object';
  const record = loaded as Record<string, unknown>;
  if (record['interfaceVersion'] !== NATIVE_INTERFACE_VERSION) {
    return `interface version ${String(record['interfaceVersion'])}, expected ${NATIVE_INTERFACE_VERSION}`;
  }
  for (const name of ['peerCredentials', 'featureSetup', 'featurizeColumns', 'featurizeBatch', 'forestRawScores']) {
    if (typeof record[name] !== 'function') return `missing function ${name}`;
  }
  return null;
}
