// Adds up what every CI stage ran and prints one closing line: "N passed, M failed, K skipped".
import { existsSync, readdirSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of ['artifacts/vitest-native.json', 'artifacts/vitest-ts.json', 'artifacts/vitest-release.json']) {
  if (!existsSync(file)) continue;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  console.log(`${file}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
}
// ceph-e2e.log is the host's Ceph 16.2; ceph-e2e-18.2.log, ceph-e2e-20.2.log the releases DISKPREDICT_CEPH_RELEASES named
const cephLogs = existsSync('artifacts')
  ? readdirSync('artifacts').filter((f) => /^ceph-e2e.*\.log$/.test(f)).sort().map((f) => `artifacts/${f}`)
  : [];
for (const file of ['artifacts/python-tests.log', ...cephLogs, 'artifacts/deb-e2e.log']) {
  if (!existsSync(file)) continue;
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const m = /(\d+) passed, (\d+) failed(?:, (\d+) skipped)?/.exec(lines.reverse().find((l) => /\d+ passed, \d+ failed/.test(l)) ?? '');
  if (!m) continue;
  passed += Number(m[1]);
  failed += Number(m[2]);
  skipped += Number(m[3] ?? 0);
  console.log(`${file}: ${m[0]}`);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 ? 1 : 0;
