// Drives every export of the native addon with valid and invalid inputs, for scripts/valgrind-native.sh.
// Plain JavaScript loading the .node file directly: under valgrind, a TypeScript loader would only add noise and time.
// Usage: node test/native/exercise-addon.mjs <addon.node>
import { mkdtempSync, rmSync, openSync, closeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const addonPath = process.argv[2];
if (!addonPath) throw new Error('usage: exercise-addon.mjs <addon.node>');
const addon = createRequire(import.meta.url)(resolve(addonPath));

function expectThrow(fn, what) {
  try {
    fn();
  } catch {
    return;
  }
  throw new Error(`expected ${what} to throw`);
}

async function exercisePeerCredentials(dir) {
  const path = join(dir, 'peer.sock');
  const server = createServer();
  await new Promise((resolve) => server.listen(path, resolve));
  const accepted = new Promise((resolve) => server.once('connection', resolve));
  const client = connect(path);
  await new Promise((resolve) => client.once('connect', resolve));
  const serverSide = await accepted;
  for (const socket of [client, serverSide]) {
    const creds = addon.peerCredentials(socket._handle.fd);
    if (creds.pid !== process.pid) throw new Error(`peerCredentials pid ${creds.pid}, expected ${process.pid}`);
  }
  client.destroy();
  serverSide.destroy();
  await new Promise((resolve) => server.close(resolve));
  const file = openSync(join(dir, 'plain'), 'w');
  expectThrow(() => addon.peerCredentials(file), 'peerCredentials(file fd)');
  closeSync(file);
  expectThrow(() => addon.peerCredentials(2 ** 30), 'peerCredentials(closed fd)');
  expectThrow(() => addon.peerCredentials(-1), 'peerCredentials(-1)');
  expectThrow(() => addon.peerCredentials('3'), "peerCredentials('3')");
  expectThrow(() => addon.peerCredentials(), 'peerCredentials()');
}

/** Deterministic pseudo-random doubles with NaN, ±0, negatives, huge and infinite values mixed in. */
function* values(seed) {
  let s = seed;
  const special = [NaN, 0, -0, -1, 2 ** 48, 2 ** 48 + 1, 1e300, Infinity, -Infinity];
  for (;;) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const r = s / 2 ** 31;
    yield r < 0.2 ? special[Math.floor(r * 45) % special.length] : r < 0.6 ? Math.floor(r * 20) : r * 1e6;
  }
}

// Mirrors lib/native/featureLayout.ts for 24 attributes (the addon only needs a consistent layout here).
const ATTRIBUTES = 24;
const FEATURES = ATTRIBUTES * 9 + 6;

function exerciseFeatures() {
  addon.featureSetup(Uint8Array.from({ length: ATTRIBUTES }, (_, a) => a % 2), Int32Array.of(3, 10, 11, 18, 19), FEATURES);
  const gen = values(7);
  const next = () => gen.next().value;
  const lengths = [0, 1, 2, 7, 12, 40, 3];
  const offsets = Int32Array.from([0, ...lengths.map((_, h) => lengths.slice(0, h + 1).reduce((a, b) => a + b, 0))]);
  const rows = offsets[offsets.length - 1];
  const days = new Int32Array(rows);
  for (let h = 0; h < lengths.length; h++) {
    let day = h === 6 ? -(2 ** 31) : 2 ** 31 - 400;
    for (let i = offsets[h]; i < offsets[h + 1]; i++) days[i] = day += 1 + (Math.abs(next()) % 35 | 0);
  }
  // Some columns shorter than the batch: reads past their end must be treated as missing, not read.
  const column = (i) => Float64Array.from({ length: i % 5 === 0 ? rows - 3 : rows }, next);
  const raw = Array.from({ length: ATTRIBUTES }, (_, a) => column(a));
  const norm = Array.from({ length: ATTRIBUTES }, (_, a) => column(a + 1));
  const out = new Float64Array(rows * FEATURES);
  addon.featurizeBatch(offsets, days, raw, norm, Float64Array.from(lengths, next), Float64Array.from(lengths, next), out);
  const one = new Float64Array(12 * FEATURES);
  const sub = (c) => c.subarray(offsets[4], offsets[5]);
  addon.featurizeColumns(days.subarray(offsets[4], offsets[5]), raw.map(sub), norm.map(sub), 4e12, 1, one);
  expectThrow(() => addon.featurizeColumns(days, raw, norm, 0, 0, new Float64Array(1)), 'featurizeColumns(short out)');
  expectThrow(() => addon.featurizeColumns(days, raw.slice(1), norm, 0, 0, out), 'featurizeColumns(missing column)');
  expectThrow(() => addon.featurizeBatch(Int32Array.of(0, rows + 1), days, raw, norm, out, out, out), 'featurizeBatch(bad offsets)');
  expectThrow(() => addon.featureSetup(new Uint8Array(3), Int32Array.of(7), 33), 'featureSetup(bad slot)');
  return out;
}

function exerciseForest(matrix) {
  // Two trees of depth 2 and a leaf-only tree, over 3 of the features (children adjacent; a leaf's child is itself).
  const feature = Int32Array.of(0, 3, -1, -1, -1, 4, -1, -1, -1);
  const threshold = Float64Array.of(5, 1e5, 0, 0, 0, -1, 0, 0, 0);
  const child = Int32Array.of(1, 3, 2, 3, 4, 6, 6, 7, 8);
  const defaultLeft = Uint8Array.of(1, 0, 0, 0, 0, 1, 0, 0, 0);
  const value = Float64Array.from({ length: 9 }, (_, i) => i / 7);
  const rows = matrix.length / FEATURES;
  const out = new Float64Array(rows);
  addon.forestRawScores(Int32Array.of(0, 5, 8), feature, threshold, child, defaultLeft, value, -3, matrix, rows, FEATURES, out);
  expectThrow(() => addon.forestRawScores(Int32Array.of(9), feature, threshold, child, defaultLeft, value, 0, matrix, rows, FEATURES, out), 'forestRawScores(bad root)');
  expectThrow(() => addon.forestRawScores(Int32Array.of(0), feature, threshold, child, defaultLeft, value, 0, matrix, rows + 1, FEATURES, out), 'forestRawScores(short matrix)');
}

const dir = mkdtempSync(join(tmpdir(), 'diskpredict-exercise-'));
try {
  await exercisePeerCredentials(dir);
  exerciseForest(exerciseFeatures());
} finally {
  rmSync(dir, { recursive: true, force: true });
}
globalThis.gc?.();
console.log(`exercised ${addonPath} (${addon.builder})`);
