/**
 * The offline bundle (`npm run bundle`) on a host without Node: unpacked in a fresh directory and run with a PATH
 * that holds a shell and a few coreutils but no node, npm, cc or python3, and (as root, where `unshare` works) no
 * network. The daemon starts, answers `health` and a prediction on Ceph's own sample dump; the CLI runs;
 * install.sh installs it and says what it did. Skips, saying why, when no bundle was built.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePath, hostToolsPath, projectRoot } from './releaseFiles.js';
import { hasShared, sharedPath } from '../helpers/shared.js';

const tarball = bundlePath();
const describeBundle = existsSync(tarball)
  ? describe
  : (name: string, fn: () => void) => describe.skip(`${name} [skipped: ${tarball} not found — run \`npm run bundle\` first]`, fn);

describeBundle('offline bundle', () => {
  let work = '';
  let root = '';
  let pathNoNode = '';
  let daemon: ChildProcess | undefined;
  let daemonErr = '';
  const env = (): NodeJS.ProcessEnv => ({ PATH: pathNoNode, HOME: work, LANG: 'C.UTF-8' });
  const run = (args: string[], input?: string) =>
    spawnSync(join(root, 'bin', 'diskpredict'), args, { env: env(), encoding: 'utf8', input, timeout: 60_000 });

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'dp-bundle-'));
    const r = spawnSync('tar', ['-xzf', tarball, '-C', work], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    root = join(work, tarball.split('/').pop()!.replace(/\.tar\.gz$/, ''));
    pathNoNode = hostToolsPath(join(work, 'host-bin'));
  });

  afterAll(async () => {
    if (daemon && daemon.exitCode === null) {
      daemon.kill('SIGTERM');
      await new Promise((r) => daemon!.once('exit', r));
    }
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('the test PATH holds no node, npm, cc or python3', () => {
    for (const tool of ['node', 'npm', 'npx', 'cc', 'gcc', 'python3']) {
      expect(spawnSync('sh', ['-c', `command -v ${tool}`], { env: env() }).status, tool).not.toBe(0);
    }
  });

  it('carries its own Node runtime of the build major, built native modules and no build leftovers', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'BUNDLE.json'), 'utf8')) as { node: string; nativeAddon: boolean; version: string };
    expect(manifest.node.split('.')[0]).toBe(process.version.split('.')[0]);
    const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string };
    expect(manifest.version).toBe(pkg.version);
    for (const f of ['runtime/node', 'bin/diskpredict', 'install.sh', 'dist/lib/cli/main.js', 'dist/lib/cli/launcher.cjs',
      'dist/cli/diskpredict.cjs', 'dist/cli/diskpredict.cjs.cache', 'dist/models/default/model.v8', 'models/default/model.json',
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node', 'daemon/ceph-mgr/diskprediction_local/module.py',
      'contrib/systemd/diskpredict.service', 'contrib/systemd/diskpredict.socket', 'etc/config.json', 'package.json']) {
      expect(existsSync(join(root, f)), f).toBe(true);
    }
    expect(existsSync(join(root, 'node_modules/better-sqlite3/deps')), 'SQLite sources pruned').toBe(false);
    expect(existsSync(join(root, 'node_modules/typescript')), 'no devDependencies').toBe(false);
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts, 'no install scripts').toBeUndefined();
    expect(statSync(tarball).size, 'compressed size under the 60 MB goal').toBeLessThan(60e6);
  });

  it('the CLI runs with the bundled node, native addon included when built', () => {
    const v = run(['--version']);
    expect(v.status, v.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(root, 'BUNDLE.json'), 'utf8')) as { nativeAddon: boolean };
    expect(v.stdout).toContain(manifest.nativeAddon ? 'native addon: on' : 'native addon: off');
    const help = run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('daemon');
  });

  it.skipIf(!hasShared)('predicts from a Ceph dashboard device-health dump without a daemon', () => {
    const r = run(['predict', '--json', sharedPath('ceph', 'dashboard_smart_data_version_1_0_hdd_response.json')]);
    expect([0, 2]).toContain(r.status);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l)) as { device: string; prediction: { status: string } }[];
    expect(out[0]!.device).toContain('WD1003FBYX');
    expect(['Good', 'Warning', 'Bad']).toContain(out[0]!.prediction.status);
  });

  it('the daemon starts, answers health and (with ../shared) a prediction on a Ceph dump', async () => {
    const sock = join(work, 'run', 'diskpredict.sock');
    mkdirSync(join(work, 'run'));
    // No network for the daemon where the kernel lets us make an empty network namespace (root).
    const isolate = process.getuid?.() === 0 && spawnSync('unshare', ['--net', 'true']).status === 0;
    const argv = [join(root, 'bin', 'diskpredict'), 'daemon', '--socket', sock, '--db', join(work, 'd.db'),
      '--config', join(root, 'etc', 'config.json')];
    daemon = isolate ? spawn('unshare', ['--net', ...argv], { env: env() }) : spawn(argv[0]!, argv.slice(1), { env: env() });
    daemon.stderr!.on('data', (c: Buffer) => (daemonErr += c.toString()));
    const deadline = Date.now() + 30_000;
    while (!daemonErr.includes('listening on') && Date.now() < deadline && daemon.exitCode === null) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(daemonErr, 'daemon log').toContain('listening on');

    const health = run(['client', 'health', '--socket', sock]);
    expect(health.status, health.stderr).toBe(0);
    const h = JSON.parse(health.stdout) as { db: { ok: boolean }; model: { name: string } };
    expect(h.db.ok).toBe(true);
    expect(h.model.name).toBe('default');

    if (!hasShared) {
      console.warn('bundle prediction check skipped: ../shared/data not found (needs the shared SMART data beside the project)');
      return;
    }
    const samples = readFileSync(sharedPath('ceph', 'diskprediction_local_sample_input.json'), 'utf8');
    const argsFile = join(work, 'predict.json');
    writeFileSync(argsFile, `{"devid":"ST4000DM000_Z302SV96","samples":${samples}}`);
    const p = run(['client', 'predict', '--socket', sock, '--json', `@${argsFile}`]);
    expect(p.status, p.stderr).toBe(0);
    const reply = JSON.parse(p.stdout) as { status: string; model: { name: string } };
    expect(['Good', 'Warning', 'Bad']).toContain(reply.status);
    expect(reply.model.name).toBe('default');
  });

  it('install.sh installs into a prefix, a module dir and a unit dir, and says what it did', () => {
    const prefix = join(work, 'prefix');
    const cephDir = join(work, 'ceph-mgr');
    const units = join(work, 'units');
    const etc = join(work, 'etc-diskpredict');
    // A foreign diskprediction_local (Ceph's own) must be moved aside, not overwritten.
    mkdirSync(join(cephDir, 'diskprediction_local'), { recursive: true });
    writeFileSync(join(cephDir, 'diskprediction_local', 'predictor.py'), '# upstream\n');
    const r = spawnSync('sh', [join(root, 'install.sh'), '--prefix', prefix, '--ceph-module-dir', cephDir,
      '--systemd-dir', units, '--config-dir', etc, '--no-user'], { env: env(), encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`installed the program and its Node runtime in ${prefix}/lib/diskpredict`);
    expect(r.stdout).toContain('moved Ceph\'s own diskprediction_local');
    expect(r.stdout).toContain('next: systemctl daemon-reload');
    expect(readlinkSync(join(prefix, 'bin', 'diskpredict'))).toBe('../lib/diskpredict/bin/diskpredict');
    expect(existsSync(join(cephDir, 'diskprediction_local.orig', 'predictor.py'))).toBe(true);
    expect(existsSync(join(cephDir, 'diskprediction_local', 'daemon_client.py'))).toBe(true);
    expect(JSON.parse(readFileSync(join(etc, 'config.json'), 'utf8')).model).toBe('default');
    const service = readFileSync(join(units, 'diskpredict.service'), 'utf8');
    expect(service).toContain(`ExecStart=${prefix}/bin/diskpredict daemon --config ${etc}/config.json`);
    expect(lstatSync(join(prefix, 'bin', 'diskpredict')).isSymbolicLink()).toBe(true);
    const v = spawnSync(join(prefix, 'bin', 'diskpredict'), ['--version'], { env: env(), encoding: 'utf8' });
    expect(v.status, v.stderr).toBe(0);

    // Again: replaces its own install, keeps the edited config, leaves the .orig alone.
    writeFileSync(join(etc, 'config.json'), '{"model":"rules"}\n');
    const again = spawnSync('sh', [join(root, 'install.sh'), '--prefix', prefix, '--ceph-module-dir', cephDir,
      '--systemd-dir', units, '--config-dir', etc, '--no-user'], { env: env(), encoding: 'utf8' });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('removed the previous install');
    expect(again.stdout).toContain('kept the existing');
    expect(readFileSync(join(etc, 'config.json'), 'utf8')).toContain('rules');
    expect(existsSync(join(cephDir, 'diskprediction_local.orig', 'predictor.py'))).toBe(true);
  });

  it('install.sh refuses to overwrite a directory that is not a bundle install', () => {
    const prefix = join(work, 'foreign');
    mkdirSync(join(prefix, 'lib', 'diskpredict'), { recursive: true });
    writeFileSync(join(prefix, 'lib', 'diskpredict', 'keep.txt'), 'x');
    const r = spawnSync('sh', [join(root, 'install.sh'), '--prefix', prefix, '--ceph-module-dir', 'none', '--systemd-dir', 'none',
      '--config-dir', join(work, 'etc2')], { env: env(), encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('is not a diskpredict bundle');
    expect(existsSync(join(prefix, 'lib', 'diskpredict', 'keep.txt'))).toBe(true);
  });

});
