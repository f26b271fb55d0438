/**
 * Model file loader, fed the shipped model (models/default/model.json), damaged in its bytes or its JSON fields.
 * Only ModelFileError may escape. Goes through the module's public text entry (whichever of the known names it
 * exports), so a rewrite of the loader behind it still fits. Half the structural mutations get their checksum
 * recomputed, so validation past the checksum is reached too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as modelFile from '../../../lib/models/modelFile.js';
import { parseJsonExact, type JsonObject } from '../../../lib/util/json.js';
import { projectRoot } from '../../helpers/sharedPaths.js';
import { allPaths, mutateBytes, mutateJson } from '../mutate.js';
import { asText, utf8 } from '../seeds.js';
import type { FuzzTarget, PreparedTarget } from '../target.js';

type ParseText = (text: string, sourceName: string) => unknown;
const ENTRY_NAMES = ['parseModel', 'parseModelDocument', 'parseModelFile', 'parseModelText'];
const enc = new TextEncoder();

export const modelFileTarget: FuzzTarget = {
  name: 'model-file',
  prepare(): PreparedTarget | string {
    const mod = modelFile as unknown as Record<string, unknown>;
    const name = ENTRY_NAMES.find((n) => typeof mod[n] === 'function');
    if (name === undefined) return `lib/models/modelFile.ts exports none of ${ENTRY_NAMES.join(', ')}: update test/fuzz/targets/modelFile.ts`;
    const parse = mod[name] as ParseText;
    const ModelFileError = mod['ModelFileError'] as new (...a: never[]) => Error;
    const checksum = typeof mod['modelChecksum'] === 'function' ? (mod['modelChecksum'] as (b: unknown) => string) : undefined;
    const text = readFileSync(join(projectRoot, 'models', 'default', 'model.json'), 'utf8');
    const doc = parseJsonExact(text);
    const paths = allPaths(doc).filter((p) => p[0] !== 'checksum');
    const seeds = utf8([text]);
    return {
      seedCount: 1,
      generate(rng) {
        if (rng.chance(0.5)) return mutateBytes(rng, seeds[0]!, seeds, 2 * seeds[0]!.length);
        let out = mutateJson(rng, doc, paths);
        if (checksum && rng.chance(0.5)) {
          try {
            const d = JSON.parse(out) as JsonObject;
            if (d && typeof d === 'object' && !Array.isArray(d)) out = JSON.stringify({ ...d, checksum: checksum(d) });
          } catch {
            // a mutation the checksum cannot be computed for: keep the text as it is
          }
        }
        return enc.encode(out);
      },
      run(input) {
        parse(asText(input), 'fuzz-model.json');
      },
      expected: (err) => err instanceof ModelFileError,
    };
  },
};
