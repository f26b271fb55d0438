/** smartctl --json reader: real device outputs (and generated ones), damaged; only SmartParseError may escape. */
import { SmartParseError } from '../../../lib/smart/errors.js';
import { readSmartctlJsonText } from '../../../lib/smart/readSmartctlJson.js';
import { checkSample } from '../sampleOracle.js';
import { asText, fixtureSmartctlTexts, sharedSmartctlTexts } from '../seeds.js';
import type { FuzzTarget, PreparedTarget } from '../target.js';
import { jsonSeedInputs } from './jsonSeeds.js';



export const smartctlTarget: FuzzTarget = {
  name: 'smartctl',
  prepare(): PreparedTarget {
    const texts = [...sharedSmartctlTexts(), ...fixtureSmartctlTexts()];
    return {
      ...jsonSeedInputs(texts, 256 * 1024),
      run(input) {
        checkSample(readSmartctlJsonText(asText(input), 'fuzz.json'));
      },
      expected: (err) => err instanceof SmartParseError,
    };
  },
};

