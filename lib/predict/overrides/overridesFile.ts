/**
 * The overrides file (JSON): `{"overrides": [entry, …]}`, each entry
 *
 *   {"id"?, "device" | "model", "ignore": ATTR | "baseline": {"attribute": ATTR, "value": N} | "forceStatus": S,
 *    "note"?, "expires"?, "created"?}
 *
 * Validated strictly: an unknown key, a bad date, a bad attribute name or a missing part is an OverridesFileError
 * naming the file and the entry. An entry without an `id` gets one derived from its content (overrideId), so ids
 * are stable without being written; `override add` writes them. Written atomically (temp file + rename).
 */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describeJsonSyntaxError } from '../../util/json.js';
import { FileReadError, readRegularFileSync } from '../../util/readRegularFile.js';
import { canonicalAttribute, OverrideAttributeError } from './attributeName.js';
import { parseExpiry } from './expiry.js';
import type { ForcedStatus, Override, OverrideAction, OverrideScope } from './types.js';

export class OverridesFileError extends Error {
  override readonly name = 'OverridesFileError';
}

/** Thousands of entries fit in far less. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;
const ENTRY_KEYS = ['id', 'device', 'model', 'ignore', 'baseline', 'forceStatus', 'note', 'expires', 'created'];
const FORCED: readonly ForcedStatus[] = ['Good', 'Warning', 'Bad'];
const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;
const MAX_TEXT = 1000;

type Entry = Record<string, unknown>;

function text(v: unknown, what: string, where: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw new OverridesFileError(`${where}: ${what} must be a non-empty string`);
  if (v.length > MAX_TEXT) throw new OverridesFileError(`${where}: ${what} is longer than ${MAX_TEXT} characters`);
  return v;
}

function attribute(v: unknown, where: string, forBaseline: boolean): string {
  try {
    return canonicalAttribute(text(v, forBaseline ? 'baseline.attribute' : 'ignore', where), forBaseline);
  } catch (err) {
    if (err instanceof OverrideAttributeError) throw new OverridesFileError(`${where}: ${err.message}`);
    throw err;
  }
}

function actionOf(e: Entry, where: string): OverrideAction {
  const given = ['ignore', 'baseline', 'forceStatus'].filter((k) => e[k] !== undefined);
  if (given.length !== 1) throw new OverridesFileError(`${where}: needs exactly one of ignore, baseline, forceStatus${given.length ? ` (has ${given.join(' and ')})` : ''}`);
  if (e['ignore'] !== undefined) return { kind: 'ignore', attribute: attribute(e['ignore'], where, false) };
  if (e['forceStatus'] !== undefined) {
    const s = e['forceStatus'];
    if (typeof s !== 'string' || !FORCED.includes(s as ForcedStatus)) throw new OverridesFileError(`${where}: forceStatus must be one of ${FORCED.join(', ')}`);
    if (e['note'] === undefined) throw new OverridesFileError(`${where}: forceStatus needs a note saying why`);
    return { kind: 'force', status: s as ForcedStatus };
  }
  const b = e['baseline'];
  if (typeof b !== 'object' || b === null || Array.isArray(b)) throw new OverridesFileError(`${where}: baseline must be {"attribute": …, "value": …}`);
  for (const k of Object.keys(b)) if (k !== 'attribute' && k !== 'value') throw new OverridesFileError(`${where}: baseline: unknown key "${k}" (known: attribute, value)`);
  const { attribute: a, value } = b as Entry;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new OverridesFileError(`${where}: baseline.value must be a non-negative integer`);
  return { kind: 'baseline', attribute: attribute(a, where, true), value };
}

/** A short id from what the entry says (not when it was added), so an entry written without one keeps it. */
export function overrideId(o: Pick<Override, 'scope' | 'action' | 'note' | 'expires'>): string {
  const canonical = JSON.stringify([o.scope, o.action, o.note ?? null, o.expires ?? null]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 8);
}

function entryOf(e: unknown, i: number, where: string): Override {
  let at = `${where}: overrides[${i}]`;
  if (typeof e !== 'object' || e === null || Array.isArray(e)) throw new OverridesFileError(`${at} must be an object`);
  const entry = e as Entry;
  if (entry['id'] !== undefined) {
    if (typeof entry['id'] !== 'string' || !ID.test(entry['id'])) throw new OverridesFileError(`${at}: id must be 1-32 letters, digits, '_', '.' or '-'`);
    at += ` (id ${entry['id']})`;
  }
  for (const k of Object.keys(entry)) if (!ENTRY_KEYS.includes(k)) throw new OverridesFileError(`${at}: unknown key "${k}" (known: ${ENTRY_KEYS.join(', ')})`);
  const hasDevice = entry['device'] !== undefined;
  if (hasDevice === (entry['model'] !== undefined)) throw new OverridesFileError(`${at}: needs exactly one of device (serial, WWN or devid) and model`);
  const scope: OverrideScope = hasDevice ? { device: text(entry['device'], 'device', at).trim() } : { model: text(entry['model'], 'model', at).trim() };
  const o: Override = { id: '', scope, action: actionOf(entry, at) };
  if (entry['note'] !== undefined) o.note = text(entry['note'], 'note', at);
  if (entry['expires'] !== undefined) {
    const expires = text(entry['expires'], 'expires', at);
    const ms = parseExpiry(expires);
    if (ms === undefined) throw new OverridesFileError(`${at}: expires "${expires}" is not an ISO date (2027-01-31) or date-time with a zone (2027-01-31T18:00:00Z)`);
    o.expires = expires;
    o.expiresAt = ms;
  }
  if (entry['created'] !== undefined) {
    const created = text(entry['created'], 'created', at);
    if (parseExpiry(created) === undefined) throw new OverridesFileError(`${at}: created "${created}" is not an ISO date-time with a zone`);
    o.created = created;
  }
  o.id = typeof entry['id'] === 'string' ? entry['id'] : overrideId(o);
  return o;
}

/** A parsed overrides document → its entries; `where` names the source in errors (`overrides /etc/x.json`). */
export function validateOverrides(value: unknown, where: string): Override[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new OverridesFileError(`${where}: expected a JSON object {"overrides": […]}`);
  for (const k of Object.keys(value)) if (k !== 'overrides') throw new OverridesFileError(`${where}: unknown key "${k}" (known: overrides)`);
  const list = (value as Entry)['overrides'];
  if (!Array.isArray(list)) throw new OverridesFileError(`${where}: overrides must be an array`);
  const out = list.map((e, i) => entryOf(e, i, where));
  const seen = new Map<string, number>();
  out.forEach((o, i) => {
    const first = seen.get(o.id);
    if (first !== undefined) throw new OverridesFileError(`${where}: overrides[${i}] has the id ${o.id} of overrides[${first}] (the same entry twice?)`);
    seen.set(o.id, i);
  });
  return out;
}

export interface ReadOverridesOptions {
  /** a file that does not exist reads as no overrides (a default location); otherwise it is an error */
  missingOk?: boolean;
}

export function readOverridesFile(file: string, options: ReadOverridesOptions = {}): Override[] {
  const where = `overrides ${file}`;
  let textOf: string;
  try {
    textOf = readRegularFileSync(file, MAX_FILE_BYTES).toString('utf8');
  } catch (err) {
    if (options.missingOk && err instanceof FileReadError && err.reason.includes('ENOENT')) return [];
    throw new OverridesFileError(`overrides ${err instanceof Error ? err.message : String(err)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(textOf);
  } catch {
    throw new OverridesFileError(`${where}: ${describeJsonSyntaxError(textOf)}`);
  }
  return validateOverrides(value, where);
}

/** The file's JSON for entries: ids always written, keys in a fixed order. */
export function serializeOverrides(overrides: readonly Override[]): string {
  const entries = overrides.map((o) => {
    const e: Entry = { id: o.id, ...o.scope };
    if (o.action.kind === 'ignore') e['ignore'] = o.action.attribute;
    else if (o.action.kind === 'baseline') e['baseline'] = { attribute: o.action.attribute, value: o.action.value };
    else e['forceStatus'] = o.action.status;
    if (o.note !== undefined) e['note'] = o.note;
    if (o.expires !== undefined) e['expires'] = o.expires;
    if (o.created !== undefined) e['created'] = o.created;
    return e;
  });
  return `${JSON.stringify({ overrides: entries }, null, 2)}\n`;
}

/** Temp file beside the target, then rename: a reader (the daemon's reload) sees the old file or the new one. */
export function writeOverridesFile(file: string, overrides: readonly Override[]): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    // 'wx': a stale temp file (or a link planted there) is an error, never followed.
    const fd = openSync(tmp, 'wx', 0o644);
    try {
      writeSync(fd, serializeOverrides(overrides));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new OverridesFileError(`cannot write overrides ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
