/**
 * Pickle reader and the scikit-learn converters after it, fed Ceph's real model pickles, damaged. Only
 * UnsafePickleError / PickleFormatError (the reader) and CephModelError (the converters) may escape. Inputs are capped
 * at 1 MiB, so the fuzzer's memory stays bounded; the 2.8 MB forest pickle is therefore not a seed.
 */
import { CephModelError } from '../../../lib/models/ceph/errors.js';
import { forestFromPickle, scalerFromPickle, svcFromPickle } from '../../../lib/models/ceph/fromPickle.js';
import { PickleFormatError, UnsafePickleError, readPickle } from '../../../lib/models/pickle/index.js';
import { mutateBytes } from '../mutate.js';
import { NO_SHARED, sharedPickles } from '../seeds.js';
import type { FuzzTarget, PreparedTarget } from '../target.js';

const MAX_INPUT = 1024 * 1024;
const CONVERTERS = [svcFromPickle, scalerFromPickle, forestFromPickle] as const;
const KIND_INDEX = { svc: 0, scaler: 1, forest: 2 } as const;

/** Pickle opcodes that build, reference or call: inserted whole so mutations reach the interesting paths. */
const OPCODES: readonly number[][] = [
  [0x68, 0x00], [0x68, 0x01], [0x6a, 0xff, 0xff, 0xff, 0x7f], [0x71, 0x00], [0x94], [0x32], [0x28], [0x30], [0x31], [0x2e],
  [0x52], [0x62], [0x81], [0x92], [0x93], [0x63, 0x6f, 0x73, 0x0a, 0x73, 0x79, 0x73, 0x74, 0x65, 0x6d, 0x0a], [0x8a, 0x08, 0, 0, 0, 0, 0, 0, 0, 0x80],
  [0x8b, 0xff, 0xff, 0xff, 0x7f], [0x58, 0xff, 0xff, 0xff, 0xff], [0x8e, 0, 0, 0, 0, 0, 0, 0, 1], [0x95, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
  [0x47, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0], [0x47, 0x7f, 0xf0, 0, 0, 0, 0, 0, 0], [0x80, 0x05], [0x7d], [0x5d], [0x29], [0x75], [0x61], [0x65], [0x73],
];

export const pickleTarget: FuzzTarget = {
  name: 'pickle',
  prepare(): PreparedTarget | string {
    // Seeds: both scalers and the eight smallest SVMs (200–260 KB); bigger ones add nothing but time per case.
    const all = sharedPickles(MAX_INPUT);
    if (all.length === 0) return NO_SHARED;
    const svms = all.filter((p) => p.kind === 'svc').sort((a, b) => a.bytes.length - b.bytes.length).slice(0, 8);
    const seeds = [...all.filter((p) => p.kind !== 'svc'), ...svms];
    const donors = [...seeds.map((s) => s.bytes), ...OPCODES.map((o) => Uint8Array.from(o))];
    return {
      seedCount: seeds.length,
      generate(rng) {
        // Scalers are small and fast: half the cases, so most cases are cheap and the SVM paths are still covered.
        const s = rng.chance(0.5) ? seeds[rng.below(2)]! : rng.pick(seeds);
        // Byte 0: which converter reads the value (the seed's own, or another one).
        const kind = rng.chance(0.9) ? KIND_INDEX[s.kind] : rng.below(3);
        return Buffer.concat([Uint8Array.of(kind), mutateBytes(rng, s.bytes, donors, MAX_INPUT)]);
      },
      run(input) {
        const pickle = input.subarray(1);
        // the forest converter bounds expansion by the pickle's size: without it the bound was NaN and never applied
        CONVERTERS[input[0]! % 3]!(readPickle(pickle), 'fuzz.pkl', pickle.length);
      },
      expected: (err) => err instanceof PickleFormatError || err instanceof UnsafePickleError || err instanceof CephModelError,
    };
  },
};
