/**
 * Model file loader, fed the shipped model (models/default/model.json), damaged in its bytes or its JSON fields.
 * Most cases start from a cut-down copy (its first tree per head and one entry per file list, checksum
 * recomputed: the same document shape, 22 KB instead of 0.8 MB): a case of the whole model costs ≈ 25 ms, which kept
 * a full run at ≈ 16,000 cases; the whole model is still the seed of 1 case in 500 (2,000 of a million).
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
    const whole = parseJsonExact(text) as JsonObject;
    const small = cutDownModel(whole, checksum);
    const docs = [small, whole];
    const pathsOf = docs.map((d) => allPaths(d).filter((p) => p[0] !== 'checksum'));
    const seeds = utf8([JSON.stringify(small), text]);
    return {
      seedCount: seeds.length,
      generate(rng) {
        const i = rng.chance(0.002) ? 1 : 0;
        if (rng.chance(0.5)) return mutateBytes(rng, seeds[i]!, seeds, 2 * seeds[i]!.length);
        let out = mutateJson(rng, docs[i]!, pathsOf[i]!);
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

/** The model with its first tree per head and one entry per file list, still valid when the checksum can be recomputed. */
export function cutDownModel(doc: JsonObject, checksum: ((body: unknown) => string) | undefined): JsonObject {
  type Lists = { files: unknown[]; perFile?: unknown[]; driveModels?: unknown[] };
  const copy = JSON.parse(JSON.stringify(doc)) as JsonObject & { heads: Record<string, { trees: { trees: unknown[]; roundsTrained: number } }>; training: Lists; validation: Lists };
  for (const head of Object.values(copy.heads)) {
    head.trees.trees = head.trees.trees.slice(0, 1);
    head.trees.roundsTrained = head.trees.trees.length;
  }
  copy.training.files = copy.training.files.slice(0, 1);
  copy.training.driveModels = copy.training.driveModels?.slice(0, 3);
  copy.validation.files = copy.validation.files.slice(0, 1);
  copy.validation.perFile = copy.validation.perFile?.slice(0, 1);
  if (!checksum) return copy;
  const { checksum: _old, ...body } = copy;
  return { ...body, checksum: checksum(body) } as JsonObject;
}
