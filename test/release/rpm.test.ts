/**
 * The RPM (`npm run package:rpm`) for RHEL/Rocky 9, read with `rpm -qp` (it cannot be installed on this Debian
 * machine): its layout, its conffile and state directory, the ceph-mgr-diskprediction-local swap, and that its
 * automatic library requirements stay within what EL9 ships (glibc 2.34, libstdc++ of GCC 11: GLIBCXX_3.4.29).
 * Skips, saying why, when no RPM was built or `rpm` is missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageVersion, releaseDir } from './releaseFiles.js';

const rpmFile = existsSync(releaseDir)
  ? readdirSync(releaseDir).find((f) => f.startsWith(`diskpredict-${packageVersion()}-`) && f.endsWith('.rpm'))
  : undefined;
const hasRpmTool = spawnSync('rpm', ['--version']).status === 0;
const why = !rpmFile ? `no release/diskpredict-${packageVersion()}-*.rpm: run \`npm run package:rpm\` first` : 'no `rpm` command (apt-get install rpm)';
const describeRpm = rpmFile && hasRpmTool ? describe : (n: string, fn: () => void) => describe.skip(`${n} [skipped: ${why}]`, fn);

const query = (...args: string[]) => {
  const r = spawnSync('rpm', ['-qp', ...args, join(releaseDir, rpmFile!)], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
};
const versionOf = (v: string) => v.split('.').map(Number);
const atMost = (a: number[], b: number[]) => {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  return true;
};

describeRpm('RPM for EL9', () => {
  it('holds the program, the link, the units, the config, the state dir and the module', () => {
    const files = query('-l').split('\n');
    for (const f of ['/usr/bin/diskpredict', '/usr/lib/diskpredict/runtime/node', '/usr/lib/diskpredict/dist/lib/cli/main.js',
      '/usr/lib/diskpredict/dist/lib/cli/launcher.cjs', '/usr/lib/diskpredict/dist/cli/diskpredict.cjs', '/usr/lib/diskpredict/dist/cli/diskpredict.cjs.cache',
      '/usr/lib/diskpredict/dist/models/default/model.v8',
      '/usr/lib/diskpredict/models/default/model.json', '/usr/lib/systemd/system/diskpredict.service',
      '/usr/lib/systemd/system/diskpredict.socket', '/etc/diskpredict/config.json', '/var/lib/diskpredict',
      '/usr/share/ceph/mgr/diskprediction_local/module.py']) {
      expect(files, f).toContain(f);
    }
    expect(query('-c').split('\n')).toContain('/etc/diskpredict/config.json');
    expect(query('--qf', '[%{FILENAMES} %{FILEUSERNAME} %{FILEMODES:perms}\n]')).toMatch(/^\/var\/lib\/diskpredict diskpredict drwxr-x---$/m);
  });

  it('replaces ceph-mgr-diskprediction-local and creates its user before install', () => {
    expect(query('--provides')).toMatch(/^ceph-mgr-diskprediction-local = /m);
    expect(query('--conflicts')).toMatch(/^ceph-mgr-diskprediction-local$/m);
    expect(query('--scripts')).toMatch(/useradd -r -g diskpredict/);
  });

  it('needs no newer glibc or libstdc++ than EL9 has', () => {
    const requires = query('-R');
    const glibc = [...requires.matchAll(/GLIBC_([\d.]+)/g)].map((m) => m[1]!);
    const glibcxx = [...requires.matchAll(/GLIBCXX_([\d.]+)/g)].map((m) => m[1]!);
    expect(glibc.length).toBeGreaterThan(0);
    for (const v of glibc) expect(atMost(versionOf(v), [2, 34]), `GLIBC_${v}`).toBe(true);
    for (const v of glibcxx) expect(atMost(versionOf(v), [3, 4, 29]), `GLIBCXX_${v}`).toBe(true);
    expect(requires).not.toMatch(/nodejs|\/usr\/bin\/node|python/);
  });
});
