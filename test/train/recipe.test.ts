import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRecipe, readRecipe, recipeFilePaths, RecipeError } from '../../lib/train/recipe.js';

const good = {
  name: 'default',
  seed: 1,
  files: [
    { name: 'a.csv.gz', role: 'population', why: 'histories' },
    { name: 'b.csv', role: 'snapshots' },
    { name: 'c.csv', role: 'evaluation' },
  ],
};

describe('training recipe', () => {
  it('reads names, roles and reasons', () => {
    const r = parseRecipe(good);
    expect(r.files.map((f) => f.role)).toEqual(['population', 'snapshots', 'evaluation']);
    expect(r.files[0]!.why).toBe('histories');
  });

  it.each([
    [{ ...good, files: [] }, /non-empty array/],
    [{ ...good, extra: 1 }, /unknown field "extra"/],
    [{ ...good, seed: 1.5 }, /"seed" must be an integer/],
    [{ ...good, files: [{ name: 'x.csv', role: 'fit-ish' }] }, /"role" must be one of population, snapshots, failed-histories, evaluation/],
    [{ ...good, files: [{ name: '../x.csv', role: 'population' }] }, /plain file name/],
    [{ ...good, files: [{ name: 'x.csv', role: 'population' }, { name: 'x.csv', role: 'evaluation' }] }, /listed twice/],
    [{ ...good, files: [{ name: 'x.csv', role: 'evaluation' }] }, /role "population"/],
  ])('refuses %j', (recipe, message) => {
    expect(() => parseRecipe(recipe)).toThrow(message);
  });

  it('names a file that is missing from the data folder, never skips it', () => {
    const r = parseRecipe(good);
    expect(() => recipeFilePaths(r, '/data', (p) => p !== '/data/b.csv')).toThrow(/names b\.csv, which is not in \/data/);
    expect([...recipeFilePaths(r, '/data', () => true)]).toEqual([
      ['/data/a.csv.gz', 'population'],
      ['/data/b.csv', 'snapshots'],
      ['/data/c.csv', 'evaluation'],
    ]);
  });

  it('reports unreadable and malformed files as RecipeError', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dp-recipe-'));
    expect(() => readRecipe(join(dir, 'none.json'))).toThrow(RecipeError);
    writeFileSync(join(dir, 'bad.json'), '{"name": ');
    expect(() => readRecipe(join(dir, 'bad.json'))).toThrow(/not valid JSON/);
  });

  it('the default recipe names every file it uses and the models it builds are recorded with roles', () => {
    const r = readRecipe(join(import.meta.dirname, '..', '..', 'models', 'default', 'recipe.json'));
    expect(r.name).toBe('default');
    expect(r.files.filter((f) => f.role === 'population').length).toBeGreaterThan(0);
    expect(r.files.every((f) => f.why !== undefined)).toBe(true);
  });
});
