/**
 * Where `client` looks for the daemon when no `--socket` is given, in order: the daemon's own
 * default from this directory (`./var/diskpredict.sock`), the one `npm start` makes in the package
 * folder, and the systemd unit's. The first that exists wins; if none does, the error lists them.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageRoot } from '../util/packageInfo.js';
import { CliError } from './errorLine.js';

export const SYSTEMD_SOCKET = '/run/diskpredict/diskpredict.sock';

export function defaultSocketCandidates(cwd: string = process.cwd(), root: string = packageRoot()): string[] {
  return [...new Set([resolve(cwd, 'var', 'diskpredict.sock'), join(root, 'var', 'diskpredict.sock'), SYSTEMD_SOCKET])];
}

export function findDaemonSocket(candidates: readonly string[] = defaultSocketCandidates()): string {
  const found = candidates.find((path) => existsSync(path));
  if (found === undefined) {
    throw new CliError(`no daemon socket found (looked at ${candidates.join(', ')}); start one with diskpredict daemon, or pass --socket PATH`);
  }
  return found;
}
