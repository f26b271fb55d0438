/**
 * A training recipe: which data files a model learns from and which it is only measured on, named
 * one by one (the shared data folder grows, and a file added later must never slip into training).
 * Checked in beside the model it builds (models/default/recipe.json); the model file records every
 * file's role and checksum.
 *
 * Roles:
 * - population: daily histories with healthy and failed drives. Fit-side drives give training rows;
 *   validation-side drives give the per-drive metrics and the Bad/Warning thresholds.
 * - snapshots: one (or a few) days per drive, healthy and failed (e.g. each drive's last day of a
 *   year, isolated healthy control days). Fit-side drives give training rows, with no censored tail
 *   (there is no tail); validation-side drives are reported per drive model, never used for thresholds.
 * - failed-histories: failed drives only. Fit-side failure histories that report every Backblaze-rule
 *   counter and span more than one day give training rows.
 * - evaluation: never trained on; reported per drive model.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FILE_ROLES = ['population', 'snapshots', 'failed-histories', 'evaluation'] as const;
export type FileRole = (typeof FILE_ROLES)[number];

export interface RecipeFile {
  /** file name inside the recipe's data folder */
  name: string;
  role: FileRole;
  /** why this role (kept in the model file) */
  why?: string;
}

export interface TrainingRecipe {
  name: string;
  /** semver of the model it builds (default 1.0.0) */
  version?: string;
  seed: number;
  files: RecipeFile[];
  /**
   * leave-one-model-out results (`train --leave-one-model-out … --json`), relative to the recipe: the
   * thresholds for drives of unfamiliar models are chosen on them (familiarityThresholds.ts)
   */
  leaveOneModelOut?: string;
}

export class RecipeError extends Error {
  override readonly name = 'RecipeError';
}

const RECIPE_KEYS = ['name', 'version', 'seed', 'files', 'leaveOneModelOut', 'comment'];
const FILE_KEYS = ['name', 'role', 'why'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkKeys(v: Record<string, unknown>, allowed: readonly string[], at: string): void {
  const extra = Object.keys(v).find((k) => !allowed.includes(k));
  if (extra !== undefined) throw new RecipeError(`${at}: unknown field "${extra}" (allowed: ${allowed.join(', ')})`);
}

/** Validates parsed JSON as a recipe; every error names the field. */
export function parseRecipe(v: unknown, source = 'recipe'): TrainingRecipe {
  if (!isRecord(v)) throw new RecipeError(`${source}: expected a JSON object`);
  checkKeys(v, RECIPE_KEYS, source);
  const name = v['name'];
  if (typeof name !== 'string' || name === '') throw new RecipeError(`${source}: "name" must be a non-empty string`);
  const version = v['version'];
  if (version !== undefined && (typeof version !== 'string' || !/^\d+\.\d+\.\d+$/.test(version))) throw new RecipeError(`${source}: "version" must be a version like 1.2.0`);
  const seed = v['seed'];
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw new RecipeError(`${source}: "seed" must be an integer`);
  const files = v['files'];
  if (!Array.isArray(files) || files.length === 0) throw new RecipeError(`${source}: "files" must be a non-empty array`);
  const seen = new Set<string>();
  const out = files.map((f, i): RecipeFile => {
    const at = `${source}: files[${i}]`;
    if (!isRecord(f)) throw new RecipeError(`${at} must be an object`);
    checkKeys(f, FILE_KEYS, at);
    const fileName = f['name'];
    if (typeof fileName !== 'string' || fileName === '' || fileName.includes('/') || fileName.includes('\\'))
      throw new RecipeError(`${at}: "name" must be a plain file name (no folders)`);
    if (seen.has(fileName)) throw new RecipeError(`${at}: "${fileName}" is listed twice`);
    seen.add(fileName);
    const role = f['role'];
    if (typeof role !== 'string' || !(FILE_ROLES as readonly string[]).includes(role))
      throw new RecipeError(`${at}: "role" must be one of ${FILE_ROLES.join(', ')}, got ${JSON.stringify(role)}`);
    const why = f['why'];
    if (why !== undefined && typeof why !== 'string') throw new RecipeError(`${at}: "why" must be a string`);
    return { name: fileName, role: role as FileRole, ...(why !== undefined ? { why } : {}) };
  });
  if (!out.some((f) => f.role === 'population')) throw new RecipeError(`${source}: at least one file must have role "population" (thresholds come from it)`);
  const lomo = v['leaveOneModelOut'];
  if (lomo !== undefined && (typeof lomo !== 'string' || lomo === '')) throw new RecipeError(`${source}: "leaveOneModelOut" must be a file name`);
  return { name, ...(version !== undefined ? { version: version as string } : {}), seed, files: out, ...(lomo !== undefined ? { leaveOneModelOut: lomo as string } : {}) };
}

export function readRecipe(path: string): TrainingRecipe {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new RecipeError(`cannot read recipe ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new RecipeError(`${path}: not valid JSON (${(err as Error).message})`);
  }
  return parseRecipe(parsed, path);
}

/** Absolute paths and roles; a recipe file that is not in the folder is an error, never silently skipped. */
export function recipeFilePaths(recipe: TrainingRecipe, dataDir: string, exists: (p: string) => boolean): Map<string, FileRole> {
  const roles = new Map<string, FileRole>();
  for (const f of recipe.files) {
    const path = join(dataDir, f.name);
    if (!exists(path)) throw new RecipeError(`recipe "${recipe.name}" names ${f.name}, which is not in ${dataDir}`);
    roles.set(path, f.role);
  }
  return roles;
}
