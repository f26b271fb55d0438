/**
 * `diskpredict override add|ls|rm`: edit the overrides file the daemon reads (docs/overrides.md). Entries get a
 * short stable id; every write replaces the file atomically, so a daemon reloading at that moment reads the old
 * file or the new one, never half of one. The daemon applies a change at its next reload.
 */
import { existsSync } from 'node:fs';
import { Option, type Command } from './commander.js';
import { canonicalAttribute, OverrideAttributeError } from '../predict/overrides/attributeName.js';
import { parseExpiry } from '../predict/overrides/expiry.js';
import { isExpired } from '../predict/overrides/matchOverrides.js';
import { overrideId, readOverridesFile, writeOverridesFile } from '../predict/overrides/overridesFile.js';
import type { ForcedStatus, Override, OverrideAction } from '../predict/overrides/types.js';
import { isoTime } from '../util/utcTime.js';
import { defaultOverridesCandidates, findOverridesFile } from './defaultOverridesFile.js';
import { CliError } from './errorLine.js';

interface AddOptions {
  device?: string;
  model?: string;
  ignore?: string;
  baseline?: string;
  forceStatus?: ForcedStatus;
  note?: string;
  expires?: string;
  file?: string;
}

const RELOAD_HINT = 'the daemon applies it after a reload (diskpredict client reload, or systemctl reload diskpredict)';

function attributeFlag(text: string, flag: string, forBaseline: boolean): string {
  try {
    return canonicalAttribute(text, forBaseline);
  } catch (err) {
    if (err instanceof OverrideAttributeError) throw new CliError(`${flag}: ${err.message}`);
    throw err;
  }
}

function actionOf(o: AddOptions): OverrideAction {
  const given = (['ignore', 'baseline', 'forceStatus'] as const).filter((k) => o[k] !== undefined);
  if (given.length !== 1) throw new CliError('give exactly one of --ignore ATTR, --baseline ATTR=VALUE, --force-status STATUS');
  if (o.ignore !== undefined) return { kind: 'ignore', attribute: attributeFlag(o.ignore, '--ignore', false) };
  if (o.forceStatus !== undefined) {
    if (o.note === undefined) throw new CliError('--force-status needs --note TEXT saying why');
    return { kind: 'force', status: o.forceStatus };
  }
  const m = /^(.+)=(\d+)$/.exec(o.baseline!.trim());
  if (!m) throw new CliError(`--baseline must be ATTR=VALUE with a non-negative integer value (e.g. smart_5=8), got "${o.baseline}"`);
  const value = Number(m[2]);
  if (!Number.isSafeInteger(value)) throw new CliError(`--baseline value ${m[2]} is too large`);
  return { kind: 'baseline', attribute: attributeFlag(m[1]!, '--baseline', true), value };
}

function entryFrom(o: AddOptions, now: number): Override {
  if ((o.device === undefined) === (o.model === undefined)) throw new CliError('give exactly one of --device SERIAL|WWN|DEVID and --model MODEL');
  const key = (o.device ?? o.model)!.trim();
  if (key === '') throw new CliError(`${o.device !== undefined ? '--device' : '--model'} must not be empty`);
  const entry: Override = { id: '', scope: o.device !== undefined ? { device: key } : { model: key }, action: actionOf(o) };
  if (o.note !== undefined) {
    if (o.note.trim() === '') throw new CliError('--note must not be empty');
    entry.note = o.note;
  }
  if (o.expires !== undefined) {
    const at = parseExpiry(o.expires);
    if (at === undefined) throw new CliError(`--expires "${o.expires}" is not an ISO date (2027-01-31) or date-time with a zone (2027-01-31T18:00:00Z)`);
    if (at <= now) throw new CliError(`--expires ${o.expires} is already past`);
    entry.expires = o.expires;
    entry.expiresAt = at;
  }
  entry.id = overrideId(entry);
  entry.created = isoTime(now);
  return entry;
}

/** `device ZLW26G7Q: ignore smart_188`, `model ST4000DM000: baseline smart_5=8`, `…: force Good`. */
export function describeOverride(o: Override): string {
  const scope = 'device' in o.scope ? `device ${o.scope.device}` : `model ${o.scope.model}`;
  const a = o.action;
  const what = a.kind === 'ignore' ? `ignore ${a.attribute}` : a.kind === 'baseline' ? `baseline ${a.attribute}=${a.value}` : `force ${a.status}`;
  return `${scope}: ${what}`;
}

function readExisting(file: string): Override[] {
  return readOverridesFile(file, { missingOk: true });
}

function lsLine(o: Override, now: number): string {
  const expiry = o.expires === undefined ? '' : isExpired(o, now) ? ` (expired ${o.expires}: ignored)` : ` (until ${o.expires})`;
  return `${o.id}  ${describeOverride(o)}${expiry}${o.note !== undefined ? ` — ${o.note}` : ''}`;
}

function lsJson(o: Override, now: number): Record<string, unknown> {
  const out: Record<string, unknown> = { id: o.id, ...o.scope, ...o.action, expired: isExpired(o, now) };
  if (o.note !== undefined) out['note'] = o.note;
  if (o.expires !== undefined) out['expires'] = o.expires;
  if (o.created !== undefined) out['created'] = o.created;
  return out;
}

export function registerOverrideCommand(program: Command): void {
  const fileHelp = `the overrides file (default: the first that exists of ${defaultOverridesCandidates().join(', ')})`;
  const override = program.command('override').description('silence what is known: ignore an attribute, accept a baseline, force a status (see docs/overrides.md)');
  override
    .command('add')
    .description('add an override for a device or a drive model')
    .option('--device <key>', 'a device: its serial number, WWN or devid')
    .option('--model <model>', 'every drive of this model (exact model string, case-insensitive)')
    .option('--ignore <attr>', 'drop this attribute before predicting: smart_<id> (e.g. smart_188), smart_status, nvme.media_errors, nvme.critical_warning, nvme.available_spare, nvme.percentage_used, scsi.grown_defects, scsi.uncorrected_errors')
    .option('--baseline <attr=value>', 'accept this count: predict from the value minus it (e.g. smart_5=8 warns only past 8)')
    .addOption(new Option('--force-status <status>', 'report this status whatever the model says').choices(['Good', 'Warning', 'Bad']))
    .option('--note <text>', 'why (required with --force-status)')
    .option('--expires <iso>', 'ignored from then on: 2027-01-31 (00:00 UTC) or 2027-01-31T18:00:00Z')
    .option('--file <path>', fileHelp)
    .action((o: AddOptions) => {
      const now = Date.now();
      const entry = entryFrom(o, now);
      const file = o.file ?? findOverridesFile(true);
      const entries = readExisting(file);
      const same = entries.find((e) => e.id === entry.id);
      if (same !== undefined) throw new CliError(`${file} already has this override: ${lsLine(same, now)}`);
      writeOverridesFile(file, [...entries, entry]);
      process.stdout.write(`added ${entry.id}: ${describeOverride(entry)}${entry.expires ? ` until ${entry.expires}` : ''} to ${file}; ${RELOAD_HINT}\n`);
    });
  override
    .command('ls')
    .description('list the overrides (expired ones are marked and ignored)')
    .option('--json', 'one JSON object per override per line: {id, device|model, kind, attribute?, value?, status?, note?, expires?, expired, created?}')
    .option('--file <path>', fileHelp)
    .action((o: { json?: boolean; file?: string }) => {
      const now = Date.now();
      const file = o.file ?? findOverridesFile(false);
      if (o.file !== undefined && !existsSync(file)) throw new CliError(`${file} does not exist`);
      const entries = readExisting(file);
      if (o.json) for (const e of entries) process.stdout.write(`${JSON.stringify(lsJson(e, now))}\n`);
      else if (entries.length === 0) process.stdout.write(`no overrides in ${file}\n`);
      else for (const e of entries) process.stdout.write(`${lsLine(e, now)}\n`);
    });
  override
    .command('rm')
    .description('remove an override by its id')
    .argument('<id>', 'as override ls shows it')
    .option('--file <path>', fileHelp)
    .action((id: string, o: { file?: string }) => {
      const file = o.file ?? findOverridesFile(false);
      if (!existsSync(file)) throw new CliError(`${file} does not exist (no overrides to remove)`);
      const entries = readExisting(file);
      const gone = entries.find((e) => e.id === id);
      if (gone === undefined) throw new CliError(`no override ${id} in ${file} (ids: ${entries.map((e) => e.id).join(', ') || 'none'})`);
      writeOverridesFile(file, entries.filter((e) => e !== gone));
      process.stdout.write(`removed ${id}: ${describeOverride(gone)} from ${file}; ${RELOAD_HINT}\n`);
    });
}
