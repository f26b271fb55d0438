/** Puts test/fixtures/fake-smartctl first on PATH with a plan saying what each fake device does. */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const fakeSmartctlDir = resolve(fileURLToPath(new URL('../fixtures/fake-smartctl', import.meta.url)));

export type FakeDevice =
  | { replay: string; exitBits?: number; serial?: string }
  | { standby: true; standbyStyle?: 'messages' | 'output' | 'power_mode' }
  | { openFailed: true }
  | { hang: true }
  | { oversize: true }
  | { garbage: true };

export interface FakePlan {
  scan: { name: string; type?: string; open_error?: string }[];
  devices: Record<string, FakeDevice>;
}

export interface FakeSmartctl {
  dir: string;
  /** environment for a child (or this process) that should find the fake first */
  env: { PATH: string; FAKE_SMARTCTL_PLAN: string };
  /** argv of every invocation so far */
  calls(): string[][];
}

export function fakeSmartctl(plan: FakePlan): FakeSmartctl {
  const dir = mkdtempSync(join(tmpdir(), 'dp-fake-smartctl-'));
  const log = join(dir, 'calls.ndjson');
  const planFile = join(dir, 'plan.json');
  writeFileSync(planFile, JSON.stringify({ ...plan, log }));
  return {
    dir,
    env: { PATH: `${fakeSmartctlDir}${delimiter}${process.env['PATH'] ?? ''}`, FAKE_SMARTCTL_PLAN: planFile },
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[]) : []),
  };
}

/** Runs `fn` with the fake on this process's PATH (collect spawns `smartctl` by name). */
export async function withFakeOnPath<T>(fake: FakeSmartctl, fn: () => Promise<T>): Promise<T> {
  const saved = { PATH: process.env['PATH'], FAKE_SMARTCTL_PLAN: process.env['FAKE_SMARTCTL_PLAN'] };
  Object.assign(process.env, fake.env);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
