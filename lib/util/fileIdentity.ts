import { statSync } from 'node:fs';

/**
 * What changes when a file is replaced (rename: a new inode) or rewritten in place (size, modification and change
 * times, in nanoseconds), as git's index decides a file is unchanged; undefined when there is no such file.
 */
export function fileIdentity(path: string): string | undefined {
  const s = statSync(path, { bigint: true, throwIfNoEntry: false });
  return s === undefined ? undefined : `${s.dev}\t${s.ino}\t${s.size}\t${s.mtimeNs}\t${s.ctimeNs}`;
}
