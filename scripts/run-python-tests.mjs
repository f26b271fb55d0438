// Runs the Ceph mgr module's Python unit tests (daemon/ceph-mgr/tests) with Debian's python3, the one ceph-mgr
// embeds, and ends with "N passed, M failed, K skipped". Exit status is unittest's.
// When DISKPREDICT_TEST_REPORT names a report file (CI), the full log is also written beside it as
// python-tests.log, where scripts/ci-summary.mjs reads the counts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const testDir = join(root, 'daemon', 'ceph-mgr', 'tests');
const python = process.env.PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

const run = spawnSync(python, ['-m', 'unittest', 'discover', '-s', testDir, '-t', testDir, '-v'], {
  cwd: root,
  // no __pycache__ inside the module directory that operators copy into the mgr
  env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'pipe'],
  maxBuffer: 64 * 1024 * 1024,
});
if (run.error) {
  console.error(`cannot run ${python}: ${run.error.message}`);
  process.exit(1);
}
const log = `${run.stdout}${run.stderr}`;
process.stdout.write(log);

const ran = Number(/^Ran (\d+) tests?/m.exec(log)?.[1] ?? 0);
const count = (name) => Number(new RegExp(`${name}=(\\d+)`).exec(/^(?:OK|FAILED).*$/m.exec(log)?.[0] ?? '')?.[1] ?? 0);
const failed = count('failures') + count('errors') + count('unexpected successes');
const skipped = count('skipped') + count('expected failures');
// A crash before unittest's summary (import error, interpreter missing a module) counts as one failure.
const crashed = run.status !== 0 && failed === 0 ? 1 : 0;
const summary = `${ran - failed - skipped} passed, ${failed + crashed} failed, ${skipped} skipped`;
console.log(summary);

if (process.env.DISKPREDICT_TEST_REPORT) {
  const dir = dirname(resolve(root, process.env.DISKPREDICT_TEST_REPORT));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'python-tests.log'), `${log}${summary}\n`);
}
process.exit(run.status === 0 && crashed === 0 ? 0 : 1);
