/**
 * Checks of the paths a command was given, made before the work starts: a run of several
 * minutes must not end on a mistyped `--out` or a missing `--data` file.
 */
import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CliError } from './errorLine.js';

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw new CliError(`cannot check ${path}: ${(err as Error).message}`);
  }
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Every input exists and can be read (files) or listed (directories); `flag` names where it came from ('' for arguments). */
export function checkInputPaths(paths: readonly string[], flag: string): void {
  const label = (path: string): string => (flag ? `${flag} ${path}` : path);
  for (const path of paths) {
    if (path === '-') continue; // stdin
    const st = statOrUndefined(path);
    if (!st) throw new CliError(`${label(path)}: no such file or directory`);
    try {
      accessSync(path, st.isDirectory() ? constants.R_OK | constants.X_OK : constants.R_OK);
    } catch {
      throw new CliError(`${label(path)}: permission denied`);
    }
  }
}

/** A file the command will create or replace: not a directory, in an existing writable directory. */
export function checkOutputFile(path: string, flag: string): void {
  const st = statOrUndefined(path);
  if (st?.isDirectory()) throw new CliError(`${flag} ${path} is a directory; give a file name`);
  if (st && !writable(path)) throw new CliError(`${flag} ${path}: not writable`);
  if (st) return;
  const dir = dirname(resolve(path));
  const dirSt = statOrUndefined(dir);
  if (!dirSt) throw new CliError(`${flag} ${path}: directory ${dir} does not exist`);
  if (!dirSt.isDirectory()) throw new CliError(`${flag} ${path}: ${dir} is not a directory`);
  if (!writable(dir)) throw new CliError(`${flag} ${path}: directory ${dir} is not writable`);
}

/** A directory the command will write into (creating it and its missing parents). */
export function checkOutputDir(path: string, flag: string): void {
  let dir = resolve(path);
  for (;;) {
    const st = statOrUndefined(dir);
    if (st) {
      if (!st.isDirectory()) throw new CliError(`${flag} ${path}: ${dir} is not a directory`);
      if (!writable(dir)) throw new CliError(`${flag} ${path}: ${dir} is not writable`);
      return;
    }
    const parent = dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}
