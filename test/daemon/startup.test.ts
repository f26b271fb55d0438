/**
 * The daemon meeting an operator: a database path that is not SQLite is named in the error, paths
 * outside its own default are not created behind their back, the default ./var is, a terminal gets
 * no `<N>` priorities while journald does, and `client` finds the default socket or says where it looked.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultSocketCandidates, findDaemonSocket, SYSTEMD_SOCKET } from '../../lib/cli/defaultSocket.js';
import { logStyleFor, stderrLogger } from '../../daemon/log.js';
import { projectRoot, tempDir } from './helpers/daemonProcess.js';

const main = join(projectRoot, 'lib/cli/main.ts');
// By path: some of these run in a directory with no node_modules to resolve `tsx` from.
const tsx = pathToFileURL(join(projectRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

function run(args: string[], cwd = projectRoot): { status: number | null; stderr: string; stdout: string } {
  return spawnSync(process.execPath, ['--import', tsx, main, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
}

describe('daemon start-up errors', () => {
  it('names the database file that is not a database', () => {
    const dir = tempDir();
    const db = join(dir, 'notes.db');
    writeFileSync(db, 'this is not SQLite\n'.repeat(100));
    const r = run(['daemon', '--db', db, '--socket', join(dir, 'd.sock')]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([`diskpredict daemon: database ${db}: file is not a database`]);
  });

  it('names the flag the user typed, not the config key behind it', () => {
    const dir = tempDir();
    const paths = ['--socket', join(dir, 'd.sock'), '--db', join(dir, 'd.db')];
    expect(run(['daemon', '--retention-days', '0', ...paths]).stderr.trim()).toBe('diskpredict daemon: --retention-days must be a positive integer');
    expect(run(['daemon', '--models', join(dir, 'nope'), ...paths]).stderr.trim()).toBe(`diskpredict daemon: --models ${join(dir, 'nope')}: no such file or directory`);
    const config = join(dir, 'c.json');
    writeFileSync(config, '{"retentionDays": 0}');
    // In a config file the key is what the user wrote.
    expect(run(['daemon', '--config', config, ...paths]).stderr.trim()).toBe(`diskpredict daemon: config ${config}: retentionDays must be a positive integer`);
  });

  it('does not create a missing directory an operator named (--db, --socket)', () => {
    const dir = tempDir();
    const missingDb = join(dir, 'typo', 'd.db');
    const r = run(['daemon', '--db', missingDb, '--socket', join(dir, 'd.sock')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^diskpredict daemon: database ${missingDb}: .*directory does not exist`));
    expect(existsSync(join(dir, 'typo'))).toBe(false);

    const missingSocket = join(dir, 'run', 'd.sock');
    const s = run(['daemon', '--db', join(dir, 'd.db'), '--socket', missingSocket]);
    expect(s.status).toBe(1);
    expect(s.stderr.trim()).toBe(`diskpredict daemon: socket ${missingSocket}: directory ${join(dir, 'run')} does not exist`);
    expect(existsSync(join(dir, 'run'))).toBe(false);
  });
});

describe('the default ./var and the client finding it', () => {
  it('makes ./var for its own defaults; and client run in that directory finds its socket', async () => {
    const cwd = tempDir();
    const daemon = spawn(process.execPath, ['--import', tsx, main, 'daemon', '--model', 'rules'], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    daemon.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((r) => daemon.once('exit', r));
    try {
      const socket = join(cwd, 'var', 'diskpredict.sock');
      // The log line, not the socket file: the file exists from bind(), before listen() and before the log line.
      for (let i = 0; i < 300 && !stderr.includes('listening on'); i++) await new Promise((r) => setTimeout(r, 50));
      expect(existsSync(socket), stderr).toBe(true);
      const health = run(['client', 'health'], cwd);
      expect(health.status, health.stderr).toBe(0);
      expect(JSON.parse(health.stdout)).toMatchObject({ version: expect.any(String) });
      // Piped stderr (as under a supervisor) keeps the priorities.
      expect(stderr).toMatch(/^<[3-7]>/m);
    } finally {
      daemon.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('lists the places it looked when no socket exists', () => {
    const cwd = tempDir();
    const candidates = defaultSocketCandidates(cwd, join(cwd, 'pkg'));
    expect(candidates).toEqual([join(cwd, 'var', 'diskpredict.sock'), join(cwd, 'pkg', 'var', 'diskpredict.sock'), SYSTEMD_SOCKET]);
    const missing = candidates.slice(0, 2);
    expect(() => findDaemonSocket(missing)).toThrow(`no daemon socket found (looked at ${missing.join(', ')})`);
    mkdirSync(join(cwd, 'pkg', 'var'), { recursive: true });
    writeFileSync(missing[1]!, '');
    expect(findDaemonSocket(missing)).toBe(resolve(missing[1]!));
  });
});

describe('log lines', () => {
  it('priorities for journald (JOURNAL_STREAM / INVOCATION_ID) and pipes, none on a terminal', () => {
    expect(logStyleFor({ JOURNAL_STREAM: '8:1234' }, true)).toBe('priority');
    expect(logStyleFor({ INVOCATION_ID: 'abc' }, true)).toBe('priority');
    expect(logStyleFor({}, false)).toBe('priority');
    expect(logStyleFor({}, true)).toBe('terminal');
    const lines: string[] = [];
    const terminal = stderrLogger('info', (l) => lines.push(l), 'terminal');
    terminal.notice('listening');
    terminal.warning('slow disk');
    terminal.debug('hidden at info');
    expect(lines).toEqual(['listening\n', 'warning: slow disk\n']);
    const journal: string[] = [];
    stderrLogger('info', (l) => journal.push(l), 'priority').notice('listening');
    expect(journal).toEqual(['<5>listening\n']);
  });
});
