/**
 * `diskpredict evaluate --ssd-snapshots FILE [--json]`: the rule scorer on Alibaba's failed-SSD
 * snapshots (lib/evaluate/ssdSnapshots.ts). Only the options that mean something there are taken;
 * the others are refused by name rather than silently ignored.
 */
import { evaluateSsdSnapshots } from '../evaluate/ssdSnapshots.js';
import { formatSsdSnapshots } from '../evaluate/formatSsdSnapshots.js';
import { checkInputPaths } from './checkPaths.js';
import { CliError } from './errorLine.js';

export interface SsdSnapshotsCliOptions {
  ssdSnapshots: string;
  json?: boolean;
  /** every option given on the command line (`--json`, `--data`, …) */
  given: readonly string[];
}

const APPLIES = new Set(['--ssd-snapshots', '--json']);

export async function runSsdSnapshotsCommand(opts: SsdSnapshotsCliOptions): Promise<void> {
  const refused = opts.given.filter((flag) => !APPLIES.has(flag));
  if (refused.length > 0) {
    throw new CliError(`--ssd-snapshots is evaluated on its own with the rule scorer (which answers for SSDs under every model); ${refused.join(', ')} ${refused.length === 1 ? 'does' : 'do'} not apply`);
  }
  checkInputPaths([opts.ssdSnapshots], '--ssd-snapshots');
  const result = await evaluateSsdSnapshots(opts.ssdSnapshots);
  if (result.snapshots === 0) {
    const why = result.issues[0];
    throw new CliError(`no usable snapshot in --ssd-snapshots ${opts.ssdSnapshots}${why ? `: ${why.reason}: ${why.count} ${why.unit}${why.examples[0] ? ` (e.g. ${why.examples[0]})` : ''}` : ''}`);
  }
  process.stdout.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : formatSsdSnapshots(result));
}
