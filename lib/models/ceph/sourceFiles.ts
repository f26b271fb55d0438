/** Reading a Ceph model directory's files with their sha256 (provenance of every verdict). */
import { existsSync } from 'node:fs';
import { readRegularFileSync } from '../../util/readRegularFile.js';
import { sha256Hex } from '../../util/sha256.js';
import { join } from 'node:path';
import { parseJsonExact, isJsonObject, type JsonObject } from '../../util/json.js';
import { CephModelError } from './errors.js';

export interface SourceFile {
  /** path relative to the Ceph models directory, e.g. `prophetstor/svm_1.pkl` */
  path: string;
  sha256: string;
  bytes: number;
}

/** Ceph's largest pickle is 0.5 MB and its whole model folder 30 MB. */
const MAX_SOURCE_BYTES = 64 * 1024 * 1024;

/** Reads `<root>/<rel>`, recording it in `files`. */
export function readSource(root: string, rel: string, files: SourceFile[]): Buffer {
  const full = join(root, rel);
  let data: Buffer;
  try {
    data = readRegularFileSync(full, MAX_SOURCE_BYTES);
  } catch (e) {
    throw new CephModelError(`cannot read ${full}: ${e instanceof Error ? e.message : String(e)}`, full);
  }
  files.push({ path: rel, sha256: sha256Hex(data), bytes: data.length });
  return data;
}

export function sourceExists(root: string, rel: string): boolean {
  return existsSync(join(root, rel));
}

export function readConfig(root: string, rel: string, files: SourceFile[]): { config: JsonObject; version: string } {
  const data = readSource(root, rel, files);
  let config;
  try {
    config = parseJsonExact(data.toString('utf8'));
  } catch (e) {
    throw new CephModelError(`${join(root, rel)} is not JSON: ${e instanceof Error ? e.message : String(e)}`, join(root, rel));
  }
  if (!isJsonObject(config)) throw new CephModelError(`${join(root, rel)} is not a JSON object`, join(root, rel));
  return { config, version: cephModelVersion(files[files.length - 1]!.sha256) };
}

/** `ceph-<first 12 hex digits of the config.json sha256>` */
function cephModelVersion(configSha256: string): string {
  return `ceph-${configSha256.slice(0, 12)}`;
}

export function stringList(v: unknown, what: string): string[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new CephModelError(`${what} is not a list of names`);
  return v as string[];
}
