/**
 * V8's code cache for the modules the command imports after this one (the command modules are
 * imported on demand, and they are most of the code): `module.enableCompileCache()` keeps compiled
 * code on disk between runs, in Node ≥ 22.1. Node 20 has nothing equivalent for ES modules
 * (`NODE_COMPILE_CACHE` is 22.1+ too), so there this does nothing. Node's own
 * `NODE_DISABLE_COMPILE_CACHE=1` turns it off.
 */
import * as nodeModule from 'node:module';

type EnableCompileCache = (cacheDir?: string) => unknown;

const enable = (nodeModule as unknown as { enableCompileCache?: EnableCompileCache }).enableCompileCache;
if (typeof enable === 'function') {
  try {
    enable();
  } catch {
    // a cache that cannot be set up (read-only temporary directory) only costs speed
  }
}
