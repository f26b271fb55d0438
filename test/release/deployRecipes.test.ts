/**
 * The cephadm and Rook recipes under contrib/ (no container runtime here, so they are never applied): each parses,
 * and every path it names is one the bundle, the package or their systemd units create, or the module's default.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { bundlePath, packageVersion, projectRoot, releaseDir } from './releaseFiles.js';

const read = (rel: string) => readFileSync(join(projectRoot, rel), 'utf8');
function yamlDocs(rel: string): Record<string, unknown>[] {
  const docs = parseAllDocuments(read(rel));
  if (!Array.isArray(docs)) throw new Error(`${rel}: empty`);
  for (const d of docs) expect(d.errors.map((e) => e.message), rel).toEqual([]);
  return docs.map((d) => d.toJS() as Record<string, unknown>);
}
const unitValue = (unit: string, key: string) => new RegExp(`^${key}=(.*)$`, 'm').exec(read(`contrib/systemd/${unit}`))?.[1];

// What the units create at run time.
const socketPath = unitValue('diskpredict.socket', 'ListenStream')!;
const socketDir = dirname(socketPath);
const stateDir = `/var/lib/${unitValue('diskpredict.service', 'StateDirectory')}`;
const configFile = /--config (\S+)/.exec(unitValue('diskpredict.service', 'ExecStart')!)![1]!;
// Where the package and install.sh put the module: Ceph's default mgr_module_path.
const moduleDir = '/usr/share/ceph/mgr/diskprediction_local';

describe('deployment recipes (contrib/cephadm, contrib/rook, contrib/container)', () => {
  it('the paths the recipes rely on are the ones the units, the module, install.sh and the package use', () => {
    expect(socketPath).toBe('/run/diskpredict/diskpredict.sock');
    expect(read('daemon/ceph-mgr/diskprediction_local/module.py')).toContain(`default='${socketPath}'`);
    expect(read('contrib/bundle/install.sh')).toMatch(/ceph_dir=\/usr\/share\/ceph\/mgr/);
    expect(read('scripts/release/package-deb.mjs')).toContain("at('usr', 'share', 'ceph', 'mgr', 'diskprediction_local')");
    expect(read('contrib/rpm/diskpredict.spec')).toMatch(/cephmoduledir \/usr\/share\/ceph\/mgr\n/);
    expect(stateDir).toBe('/var/lib/diskpredict');
    expect(configFile).toBe('/etc/diskpredict/config.json');
  });

  it('cephadm mgr spec: bind-mounts exactly the module directory and the socket directory', () => {
    const [spec] = yamlDocs('contrib/cephadm/mgr.yaml');
    expect(spec!['service_type']).toBe('mgr');
    const args = spec!['extra_container_args'] as string[];
    const volumes = args.map((a) => /^--volume=([^:]+):([^:]+)(?::(ro|rw))?$/.exec(a)).map((m) => {
      expect(m, 'every extra_container_args entry is one --volume=SRC:DST[:ro]').not.toBeNull();
      return { src: m![1]!, dst: m![2]! };
    });
    expect(volumes).toEqual([{ src: moduleDir, dst: moduleDir }, { src: socketDir, dst: socketDir }]);
    const dropIn = read('contrib/cephadm/diskpredict-cephadm.conf');
    expect(dropIn).toMatch(/^\[Socket\]\nSocketGroup=167$/m);
  });

  it('Rook policy: sidecar and mgr share the socket emptyDir, the module goes over the image\'s', () => {
    const [policy] = yamlDocs('contrib/rook/mgr-sidecar-policy.yaml');
    expect(policy!['kind']).toBe('ClusterPolicy');
    type Mount = { name: string; mountPath: string; readOnly?: boolean };
    type Container = { name: string; command?: string[]; volumeMounts: Mount[] };
    const rule = (policy!['spec'] as { rules: { mutate: { patchStrategicMerge: { spec: Record<string, unknown> } } }[] }).rules[0]!;
    const pod = rule.mutate.patchStrategicMerge.spec as { containers: Container[]; initContainers: Container[]; volumes: { name: string; emptyDir?: unknown }[] };
    const byName = (n: string) => pod.containers.find((c) => c.name === n)!;
    const mounts = (c: Container) => Object.fromEntries(c.volumeMounts.map((m) => [m.mountPath, m.name]));
    expect(mounts(byName('mgr'))).toEqual({ [moduleDir]: 'diskpredict-module', [socketDir]: 'diskpredict-run' });
    expect(mounts(byName('diskpredict'))).toEqual({ [socketDir]: 'diskpredict-run', [stateDir]: 'diskpredict-state' });
    for (const v of ['diskpredict-run', 'diskpredict-module', 'diskpredict-state']) {
      expect(pod.volumes.find((x) => x.name === v)?.emptyDir, `${v} is an emptyDir`).toBeDefined();
    }
    // The init container copies the module from where the image's bundle keeps it.
    const init = pod.initContainers[0]!;
    const from = init.command!.find((a) => a.startsWith('/opt/diskpredict/'))!;
    const inBundle = from.replace('/opt/diskpredict/', '').replace(/\/\.$/, '');
    expect(existsSync(join(projectRoot, inBundle))).toBe(true);
    expect(read('scripts/release/bundle.mjs')).toContain(`copy('${inBundle}'`);
    expect(init.volumeMounts[0]!.mountPath).toBe(init.command!.at(-1)!.replace(/\/$/, ''));
  });

  it('Rook Ceph settings point the module at the sidecar\'s socket', () => {
    const [cluster] = yamlDocs('contrib/rook/ceph-config.yaml');
    const spec = cluster!['spec'] as { cephConfig: Record<string, Record<string, string>>; mgr: { modules: { name: string }[] } };
    expect(spec.cephConfig['mgr']!['mgr/diskprediction_local/socket_path']).toBe(socketPath);
    expect(spec.cephConfig['global']!['device_failure_prediction_mode']).toBe('local');
    expect(spec.mgr.modules.map((m) => m.name)).toContain('diskprediction_local');
  });

  it('the Containerfile runs the daemon on the socket, state and config paths the recipes mount', () => {
    const cf = read('contrib/container/Containerfile');
    expect(cf).toContain(`"--socket", "${socketPath}"`);
    expect(cf).toContain(`"--db", "${stateDir}/diskpredict.db"`);
    expect(cf).toContain(`"--config", "${configFile}"`);
    expect(cf).toContain('install.sh --prefix /usr/local');
    expect(cf).toContain('ENTRYPOINT ["/usr/local/bin/diskpredict"');
  });

  const deb = join(releaseDir, `diskpredict_${packageVersion()}_amd64.deb`);
  it.skipIf(!existsSync(deb) || process.arch !== 'x64')(`the built .deb holds the module directory the recipes mount (skipped when not built)`, () => {
    const list = spawnSync('dpkg-deb', ['-c', deb], { encoding: 'utf8' }).stdout;
    expect(list).toContain(`.${moduleDir}/module.py`);
    expect(list).toContain('./lib/systemd/system/diskpredict.socket');
    expect(list).toContain(`.${configFile}`);
  });

  it.skipIf(!existsSync(bundlePath()))(`the built bundle holds the module the Rook init container copies (skipped when not built)`, () => {
    const list = spawnSync('tar', ['-tzf', bundlePath()], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).stdout;
    expect(list).toMatch(/\/daemon\/ceph-mgr\/diskprediction_local\/module\.py$/m);
    expect(list).toMatch(/\/install\.sh$/m);
  });
});
