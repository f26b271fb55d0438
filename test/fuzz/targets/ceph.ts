/** Ceph devicehealth dumps (date → smartctl) and dashboard maps (devid → smartctl), damaged; only SmartParseError may escape. */
import { SmartParseError } from '../../../lib/smart/errors.js';
import { readCephDashboardMap, readCephDeviceHealthMap } from '../../../lib/smart/readCephDeviceHealth.js';
import { parseSmartJsonText } from '../../../lib/smart/readSmartctlJson.js';
import { checkSample } from '../sampleOracle.js';
import { asText, fixtureCephTexts, sharedCephTexts } from '../seeds.js';
import type { FuzzTarget, PreparedTarget } from '../target.js';
import { jsonSeedInputs } from './jsonSeeds.js';

export const cephTarget: FuzzTarget = {
  name: 'ceph',
  prepare(): PreparedTarget {
    const texts = [...sharedCephTexts(), ...fixtureCephTexts()];
    return {
      ...jsonSeedInputs(texts, 256 * 1024),
      run(input, rng) {
        const value = parseSmartJsonText(asText(input), 'fuzz.json');
        // Both readings of the same document: a map is one or the other, and each reader must cope with the wrong one.
        if (rng.chance(0.5)) for (const s of readCephDeviceHealthMap(value, { file: 'fuzz.json' }).samples) checkSample(s);
        else for (const h of readCephDashboardMap(value, { file: 'fuzz.json' }).values()) for (const s of h.samples) checkSample(s);
      },
      expected: (err) => err instanceof SmartParseError,
    };
  },
};
