/**
 * Reading and writing model files. The checksum is sha256 over a canonical serialization (keys
 * sorted, no whitespace, numbers as JSON.stringify writes them — shortest round-trip form) of the
 * document without its checksum; the file itself is that same canonical form with the checksum
 * included, so one input always gives a byte-identical file.
 *
 * Loading checks the checksum over the text as stored: in the canonical file the checksum is the
 * first member, so the file minus `"checksum":"…",` is exactly the hashed serialization. Only a
 * file whose stored text does not hash to its checksum (not canonical, e.g. pretty-printed by
 * hand, or corrupt) is re-serialized to check it the long way — re-serializing the shipped model
 * cost more than everything else a one-device `predict` does.
 */
import { createHash } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { readRegularFileSync } from '../util/readRegularFile.js';
import { describeJsonSyntaxError } from '../util/json.js';
import { basename, dirname, join } from 'node:path';
import { ModelFormatError } from './gbdt/formatError.js';
import { ModelVersionError, validateModelDocument, type ModelDocument, type ModelDocumentBody, type ValidatedModel } from './modelSchema.js';

export type ModelFileErrorCode = 'unreadable' | 'syntax' | 'schema' | 'version' | 'field' | 'checksum';

/** A model file that cannot be used; the message names the file and, where known, the field. */
export class ModelFileError extends Error {
  override readonly name = 'ModelFileError';
  constructor(
    readonly code: ModelFileErrorCode,
    readonly file: string,
    detail: string,
    /** JSON pointer of the offending field */
    readonly field?: string,
  ) {
    super(`model file ${file}: ${detail}`);
  }
}

/** Canonical JSON: sorted keys, no whitespace; refuses values JSON cannot hold exactly. */
export function canonicalJson(value: unknown, at = ''): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ModelFormatError(at, `cannot store ${value} in JSON`);
    return JSON.stringify(value);
  }
  if (ArrayBuffer.isView(value)) throw new ModelFormatError(at, 'typed arrays are not JSON: convert with Array.from');
  if (Array.isArray(value)) return '[' + value.map((v, i) => (v === undefined ? 'null' : canonicalJson(v, `${at}/${i}`))).join(',') + ']';
  if (typeof value === 'object') {
    const entries = Object.keys(value as object)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => JSON.stringify(k) + ':' + canonicalJson((value as Record<string, unknown>)[k], `${at}/${k}`));
    return '{' + entries.join(',') + '}';
  }
  throw new ModelFormatError(at, `cannot store a ${typeof value} in JSON`);
}

export function modelChecksum(body: ModelDocumentBody): string {
  const { checksum: _ignored, ...rest } = body as ModelDocumentBody & { checksum?: string };
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

/** The exact bytes of a model file for this document (checksum computed here). */
export function serializeModelDocument(body: ModelDocumentBody): string {
  return canonicalJson({ ...body, checksum: modelChecksum(body) }) + '\n';
}

/**
 * Validates, then writes atomically (temp file + rename). The document is checked exactly as
 * loadModelFile would, so a file is never written that diskpredict would refuse.
 */
export function writeModelFile(path: string, body: ModelDocumentBody): ModelDocument {
  let text: string;
  try {
    text = serializeModelDocument(body);
  } catch (e) {
    if (e instanceof ModelFormatError) throw new ModelFileError('field', path, `cannot write: ${e.message}`, e.field);
    throw e;
  }
  const validated = parseModel(text, path);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, text);
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw new ModelFileError('unreadable', path, `cannot write: ${(e as Error).message}`);
  }
  return validated.document;
}

const CHECKSUM_PREFIX = '{"checksum":"';
/** `{"checksum":"` + 64 hex digits + `",` */
const CANONICAL_BODY_START = CHECKSUM_PREFIX.length + 64 + 2;

/**
 * The checksum a canonical model file states, when its stored text hashes to it (then the
 * document hashes to it too: the text is that very serialization); else undefined.
 */
function checksumOfStoredText(text: string): string | undefined {
  if (!text.startsWith(CHECKSUM_PREFIX) || text.charCodeAt(CANONICAL_BODY_START - 2) !== 0x22 || text.charCodeAt(CANONICAL_BODY_START - 1) !== 0x2c) return undefined;
  const stated = text.slice(CHECKSUM_PREFIX.length, CANONICAL_BODY_START - 2);
  // the writer ends the file with one newline; the hashed serialization has none
  const end = text.endsWith('}\n') ? text.length - 1 : text.length;
  const hash = createHash('sha256').update('{').update(text.slice(CANONICAL_BODY_START, end)).digest('hex');
  return hash === stated ? stated : undefined;
}

/** Parses and validates a model document held in memory; sourceName appears in errors. */
export function parseModel(text: string, sourceName: string): ValidatedModel {
  // Hashed before parsing but reported after validation, so the order of errors stays: syntax,
  // schema, version, field, checksum.
  const storedChecksum = checksumOfStoredText(text);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const truncated = text.trim().length === 0 || describeJsonSyntaxError(text).startsWith('truncated');
    throw new ModelFileError('syntax', sourceName, `${truncated ? 'truncated or empty' : 'not valid'} JSON (${describeJsonSyntaxError(text)})`);
  }
  let validated: ValidatedModel;
  try {
    validated = validateModelDocument(json);
  } catch (e) {
    if (e instanceof ModelVersionError) throw new ModelFileError('version', sourceName, e.message, '/schemaVersion');
    if (e instanceof ModelFormatError) {
      // Not an object, or another schema: this is not a diskpredict model at all.
      const code = e.field === '' || e.field === '/schema' ? 'schema' : 'field';
      throw new ModelFileError(code, sourceName, e.message, e.field);
    }
    throw e;
  }
  // (a repeated "checksum" member would make the parsed one another than the hashed one)
  if (storedChecksum !== undefined && storedChecksum === validated.document.checksum) return validated;
  let expected: string;
  try {
    expected = modelChecksum(validated.document);
  } catch (e) {
    // A number JSON.parse read as Infinity (1e400) where validation does not look, e.g. in the validation report.
    if (e instanceof ModelFormatError) throw new ModelFileError('field', sourceName, e.message, e.field);
    throw e;
  }
  if (expected !== validated.document.checksum)
    throw new ModelFileError('checksum', sourceName, `checksum mismatch: file says ${validated.document.checksum}, content hashes to ${expected} — the file is corrupt or was edited`, '/checksum');
  return validated;
}

export function parseModelDocument(text: string, sourceName: string): ModelDocument {
  return parseModel(text, sourceName).document;
}

/** The shipped model is 0.5 MB; a model file 100 times that is not one of ours. */
const MAX_MODEL_FILE_BYTES = 64 * 1024 * 1024;

/** Reads and validates a model file, with its trees and calibrations ready to score. */
export function loadModel(path: string): ValidatedModel {
  let text: string;
  try {
    text = readRegularFileSync(path, MAX_MODEL_FILE_BYTES).toString('utf8');
  } catch (e) {
    throw new ModelFileError('unreadable', path, `cannot read: ${(e as Error).message}`);
  }
  return parseModel(text, path);
}

export function loadModelFile(path: string): ModelDocument {
  return loadModel(path).document;
}
