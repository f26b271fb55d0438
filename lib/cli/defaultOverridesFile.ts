/**
 * Which overrides file `override add|ls|rm` edit when no `--file` is given: the ones the daemon reads by default,
 * in the order `client` looks for its socket — `./var/overrides.json` (beside `./var/diskpredict.db`), the
 * package folder's `var/overrides.json` (`npm start`), `/etc/diskpredict/overrides.json` (beside the systemd
 * unit's `--config`). The first that exists wins; when none does, `add` creates the first whose folder exists.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { packageRoot } from '../util/packageInfo.js';
import { CliError } from './errorLine.js';

export const SYSTEMD_OVERRIDES = '/etc/diskpredict/overrides.json';

export function defaultOverridesCandidates(cwd: string = process.cwd(), root: string = packageRoot()): string[] {
  return [...new Set([resolve(cwd, 'var', 'overrides.json'), join(root, 'var', 'overrides.json'), SYSTEMD_OVERRIDES])];
}

/** The file to read (it may not exist: then there are no overrides) or, with `forWriting`, to write. */
export function findOverridesFile(forWriting: boolean, candidates: readonly string[] = defaultOverridesCandidates()): string {
  const found = candidates.find((path) => existsSync(path));
  if (found !== undefined) return found;
  const creatable = candidates.find((path) => existsSync(dirname(path)));
  if (creatable !== undefined || !forWriting) return creatable ?? candidates[0]!;
  throw new CliError(`no overrides file found and no folder to create one in (looked at ${candidates.join(', ')}); pass --file PATH`);
}
