/**
 * Supplementary groups of a connecting process, for --allow-gid: SO_PEERCRED gives only the primary gid, and
 * the ceph-mgr user is often in group `ceph` as a supplementary group. Read from /proc/PID/status (`Groups:`);
 * the pid comes from SO_PEERCRED, taken at connect time.
 */
import { readFileSync } from 'node:fs';

export function supplementaryGroupsOf(pid: number): number[] {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'latin1');
  } catch {
    return []; // the process is gone (or /proc is not mounted): only its primary gid counts
  }
  const line = /^Groups:(.*)$/m.exec(status);
  if (!line) return [];
  return line[1]!.trim().split(/\s+/).filter(Boolean).map(Number).filter(Number.isSafeInteger);
}
