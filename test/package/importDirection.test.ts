import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The folders of lib/ follow the data (smart → features → models → predict; evaluate and train beside them, train
 * above evaluate): a folder imports only the folders listed for it here. A new folder must be placed in this table.
 */
const MAY_IMPORT: Record<string, readonly string[]> = {
  util: [],
  smart: ['util'],
  client: ['util'],
  collect: ['client', 'smart', 'util'],
  features: ['smart', 'util'],
  models: ['features', 'smart', 'util'],
  native: ['features', 'models', 'smart', 'util'],
  predict: ['native', 'models', 'features', 'smart', 'util'],
  evaluate: ['predict', 'native', 'models', 'features', 'smart', 'util'],
  train: ['evaluate', 'predict', 'native', 'models', 'features', 'smart', 'util'],
  cli: ['*'],
};

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const lib = join(root, 'lib');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.c?ts$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** Relative module specifiers of static and dynamic imports and re-exports. */
function relativeImports(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm)) out.push(m[1]!);
  return out;
}

describe('import direction in lib/', () => {
  it('every folder of lib/ is placed in the table', () => {
    const folders = readdirSync(lib, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.filter((f) => !(f in MAY_IMPORT))).toEqual([]);
  });

  it('no folder imports a folder above it', () => {
    const wrong: string[] = [];
    for (const file of sourceFiles(lib)) {
      const from = relative(lib, file).split('/')[0]!;
      const allowed = MAY_IMPORT[from];
      if (allowed === undefined || allowed.includes('*')) continue;
      for (const spec of relativeImports(readFileSync(file, 'utf8'))) {
        const target = relative(lib, resolve(dirname(file), spec));
        if (target.startsWith('..')) {
          wrong.push(`${relative(root, file)} → ${spec} (outside lib/)`);
          continue;
        }
        const to = target.split('/')[0]!;
        if (to !== from && !allowed.includes(to) && target.includes('/')) wrong.push(`${relative(root, file)} → lib/${target}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('finds an import that goes up (the check can fail)', () => {
    expect(relativeImports(`import { x } from '../../predict/types.js';\nconst m = await import('../train/split.js');`)).toEqual([
      '../../predict/types.js',
      '../train/split.js',
    ]);
  });
});
