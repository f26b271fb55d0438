/** Request argument checks: each failure is a BAD_ARGUMENT naming the field. */
import type { JsonValue } from '../../lib/util/json.js';
import { RequestError } from '../protocol/errors.js';
import type { Request } from '../protocol/types.js';

const MAX_DEVID_LENGTH = 1024;

export function devidArg(req: Request, required: true): string;
export function devidArg(req: Request, required: false): string | undefined;
export function devidArg(req: Request, required: boolean): string | undefined {
  return checkDevid(req['devid'], 'devid', required);
}

export function checkDevid(v: JsonValue | undefined, name: string, required: boolean): string | undefined {
  if (v === undefined || v === null) {
    if (required) throw new RequestError('BAD_ARGUMENT', `${name} is required`);
    return undefined;
  }
  if (typeof v !== 'string' || v === '' || v.length > MAX_DEVID_LENGTH) {
    throw new RequestError('BAD_ARGUMENT', `${name} must be a non-empty string of at most ${MAX_DEVID_LENGTH} characters`);
  }
  return v;
}

export function optionalString(req: Request, name: string): string | undefined {
  const v = req[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new RequestError('BAD_ARGUMENT', `${name} must be a string`);
  return v;
}

export function optionalBoolean(req: Request, name: string): boolean {
  const v = req[name];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw new RequestError('BAD_ARGUMENT', `${name} must be true or false`);
  return v;
}

export function optionalInteger(req: Request, name: string, min: number, max: number): number | undefined {
  const v = req[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new RequestError('BAD_ARGUMENT', `${name} must be an integer from ${min} to ${max}`);
  }
  return v;
}

/** Unix seconds or an ISO 8601 date/time → Unix seconds. */
export function optionalTime(req: Request, name: string): number | undefined {
  const v = req[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return Math.floor(v);
  if (typeof v === 'string') {
    const ms = Date.parse(v);
    if (Number.isFinite(ms)) return Math.floor(ms / 1000);
  }
  throw new RequestError('BAD_ARGUMENT', `${name} must be Unix seconds or an ISO 8601 date/time`);
}
