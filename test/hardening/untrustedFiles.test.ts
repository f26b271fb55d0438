/**
 * Files the program is pointed at are not trusted to be what they claim (issue 17, items 9–12): a FIFO, a device,
 * a secret behind a symlink, a pickle whose trees repeat by reference, a directory that links back to itself.
 * Each gets a typed error naming the path, in bounded time and memory, and never echoes the file's contents.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileReadError, readRegularFile, readRegularFileSync } from '../../lib/util/readRegularFile.js';
import { loadModel } from '../../lib/models/modelFile.js';
import { loadConfig } from '../../daemon/config.js';
import { readPickle, PyObject } from '../../lib/models/pickle/index.js';
import { forestFromPickle } from '../../lib/models/ceph/fromPickle.js';
import { CephModelError } from '../../lib/models/ceph/errors.js';
import { describeShared, sharedPath } from '../helpers/shared.js';
import { cleanup, ndjson, startDaemon } from '../daemon/helpers/daemonProcess.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const SECRET = 'SECRET-TOKEN-4f1b2c-do-not-print';
const dirs: string[] = [];
function temp(): string {
  const d = mkdtempSync(join(tmpdir(), 'dp-untrusted-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fifo(dir: string): string {
  const path = join(dir, 'fifo');
  execFileSync('mkfifo', [path]);
  return path;
}

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, ['--import', 'tsx', join(root, 'lib/cli/main.ts'), ...args], { encoding: 'utf8', cwd: root, timeout: 60_000 });
}

describe('reading files that are not what they claim', () => {
  it('refuses a FIFO, a character device, a directory and an oversize file, naming the path', async () => {
    const dir = temp();
    const big = join(dir, 'big');
    writeFileSync(big, 'x'.repeat(2000));
    for (const [path, why] of [
      [fifo(dir), /a FIFO, not a regular file/],
      ['/dev/zero', /a character device/],
      [dir, /a directory/],
      [big, /2000 bytes, over the limit of 1000/],
    ] as const) {
      // Before the fix a FIFO blocked for ever and /dev/zero grew until memory ran out.
      expect(() => readRegularFileSync(path, 1000)).toThrow(FileReadError);
      expect(() => readRegularFileSync(path, 1000)).toThrow(why);
      await expect(readRegularFile(path, 1000)).rejects.toThrow(why);
    }
    writeFileSync(big, 'hello');
    expect(readRegularFileSync(big, 1000).toString()).toBe('hello');
    expect((await readRegularFile(big, 1000)).toString()).toBe('hello');
  });

  it('never quotes a model or config file that is not one (a secret behind a symlink)', () => {
    const dir = temp();
    const secret = join(dir, 'secret.txt');
    writeFileSync(secret, `${SECRET}\n`);
    const model = join(dir, 'model.json');
    symlinkSync(secret, model);
    const config = join(dir, 'config.json');
    symlinkSync(secret, config);
    let modelError = '';
    try {
      loadModel(model);
    } catch (err) {
      modelError = String(err);
    }
    expect(modelError).toMatch(/not valid JSON \(invalid JSON at offset 0\)/);
    expect(modelError).not.toMatch(/SECRET/);
    let configError = '';
    try {
      loadConfig(config, {});
    } catch (err) {
      configError = String(err);
    }
    expect(configError).toContain(config);
    expect(configError).not.toMatch(/SECRET/);
  });

  it("a daemon's reload over the socket reports a config that became a secret without its contents", async () => {
    const dir = temp();
    const config = join(dir, 'config.json');
    writeFileSync(config, '{}');
    const d = await startDaemon({ dir, args: ['--config', config] });
    try {
      rmSync(config);
      writeFileSync(join(dir, 'secret.txt'), `${SECRET}\n`);
      symlinkSync(join(dir, 'secret.txt'), config);
      const [reply] = await ndjson(d.socketPath, [{ op: 'reload' }]);
      expect(reply).toMatchObject({ ok: false, error: { code: 'BAD_MODEL' } });
      expect(JSON.stringify(reply)).not.toMatch(/SECRET/);
      rmSync(config);
      fifo(dir);
      symlinkSync(join(dir, 'fifo'), config);
      // Before the fix the reload blocked the daemon on the FIFO for ever.
      const [again] = await ndjson(d.socketPath, [{ op: 'reload' }, { op: 'health' }]);
      expect(JSON.stringify(again)).toMatch(/a FIFO, not a regular file/);
    } finally {
      await d.stop();
      cleanup(d);
    }
  });
});

describeShared("Ceph's pickles expanded by memo references", () => {
  it('refuses a forest whose trees repeat one stored tree thousands of times', () => {
    const file = sharedPath('ceph-models', 'redhat', 'hgst_predictor.pkl');
    const bytes = readFileSync(file);
    const real = readPickle(bytes) as PyObject;
    expect(() => forestFromPickle(real, 'hgst_predictor.pkl', bytes.length)).not.toThrow();
    // What a pickle whose estimators_ list is one tree and 5,000 memo GETs of it decodes to (the memo hands back
    // the same object): a few bytes more on disk, 5,000 trees when expanded (1 GB for a 300 KB pickle before).
    const estimators = real.attr('estimators_') as unknown[];
    const forged = new PyObject(real.cls, real.args);
    forged.state = real.state;
    const state = real.state as { map: Map<unknown, unknown> };
    const saved = state.map.get('estimators_');
    state.map.set('estimators_', Array.from({ length: 5000 }, () => estimators[0]));
    try {
      expect(() => forestFromPickle(forged, 'hgst_predictor.pkl', bytes.length + 10_000)).toThrow(CephModelError);
      expect(() => forestFromPickle(forged, 'hgst_predictor.pkl', bytes.length + 10_000)).toThrow(/repeated by reference/);
    } finally {
      state.map.set('estimators_', saved);
    }
  });
});

describe('the CLI on bad inputs', () => {
  it('predict and parse refuse /dev/zero at once with one line', () => {
    for (const args of [['predict', '/dev/zero'], ['parse', '/dev/zero']]) {
      const r = cli(args);
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/\/dev\/zero.*a character device/);
    }
  });

});

describeShared('the CLI on a directory that links back to itself', () => {
  it('predict DIR with a symlink loop still reads every file and names the loop', () => {
    const dir = temp();
    const sub = join(dir, 'a');
    mkdirSync(sub);
    copyFileSync(sharedPath('ceph', 'diskprediction_local_sample_input.json'), join(sub, 'dump.json'));
    symlinkSync(dir, join(sub, 'loop'));
    const r = cli(['predict', '--model', 'rules', dir]);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/already read \(a symlink loop/);
    expect(r.status).toBe(1);
    expect(statSync(dir).isDirectory()).toBe(true);
  });
});
