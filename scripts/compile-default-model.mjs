#!/usr/bin/env node
/**
 * Part of `npm run build:ts`, after tsc: the shipped default model (models/default/model.json) compiled into V8's
 * serialization format, dist/models/default/model.v8, which the command loads instead of the JSON while it
 * matches it (lib/models/compiledModel.ts; docs/startup.md). Retraining the model makes it stale (ignored, the
 * JSON is parsed again: a one-device run took 1.3× as long) until this runs again, so `npm run train:default` ends
 * with it.
 *
 *   node scripts/compile-default-model.mjs
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { writeCompiledModel } = await import(join(root, 'dist', 'lib', 'models', 'compiledModel.js'));
const { compiledDefaultModelPath, defaultModelPath } = await import(join(root, 'dist', 'lib', 'predict', 'predictorSpec.js'));
writeCompiledModel(defaultModelPath(), compiledDefaultModelPath());
console.log(`compile-default-model: ${compiledDefaultModelPath()}`);
