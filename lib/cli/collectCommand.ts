/**
 * `diskpredict collect`: read every device's SMART data with smartctl (never waking a disk in standby) and
 * store it — through a running daemon (`--socket`, which also predicts) or straight into its database (`--db`).
 */
import type { Command } from 'commander';
import { DiskPredictClient } from '../client/DiskPredictClient.js';
import { clientSink } from '../collect/clientSink.js';
import { collectPass, type CollectReport, type CollectSink } from '../collect/collectPass.js';
import { parseTarget } from '../collect/collectTarget.js';
import { SMARTCTL_TIMEOUT_MS } from '../collect/runSmartctl.js';
import { defaultSocketCandidates, findDaemonSocket } from './defaultSocket.js';
import { CliError } from './errorLine.js';

interface CollectOptions {
  once?: boolean;
  devices?: string[];
  socket?: string;
  db?: string;
  interval: string;
  timeoutMs: string;
  smartctl: string;
  json?: boolean;
}

export function registerCollectCommand(program: Command): void {
  program
    .command('collect')
    .description('read SMART data with smartctl (disks in standby are skipped, not woken) and store it (see docs/collect.md)')
    .option('--once', 'one pass, then exit (exit 1 if any device failed)')
    .option('--devices <name...>', 'read these (NAME or NAME:TYPE, e.g. /dev/sda:sat) instead of smartctl --scan-open')
    .option('--socket <path>', `store through this daemon, which also predicts (default: the first that exists of ${defaultSocketCandidates().join(', ')})`)
    .option('--db <path>', 'no daemon running: store straight into this database (predictions come at the next predict)')
    .option('--interval <seconds>', 'without --once: seconds between passes', '3600')
    .option('--timeout-ms <n>', 'per smartctl run', String(SMARTCTL_TIMEOUT_MS))
    .option('--smartctl <path>', 'the smartctl to run', 'smartctl')
    .option('--json', 'one JSON object per device per line')
    .action(async (o: CollectOptions) => {
      const timeoutMs = positive(o.timeoutMs, '--timeout-ms');
      const intervalS = positive(o.interval, '--interval');
      const targets = o.devices?.map(parseTarget);
      const { sink, close } = await openSink(o);
      try {
        for (;;) {
          const report = await collectPass({ sink, timeoutMs, command: o.smartctl, ...(targets !== undefined && { targets }) });
          printReport(report, o.json === true);
          if (o.once) {
            if (report.devices.some((d) => d.outcome === 'error')) process.exitCode = 1;
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, intervalS * 1000));
        }
      } finally {
        close();
      }
    });
}

async function openSink(o: CollectOptions): Promise<{ sink: CollectSink; close: () => void }> {
  if (o.socket !== undefined && o.db !== undefined) throw new CliError('give --socket (a running daemon) or --db (no daemon), not both');
  if (o.db !== undefined) {
    // Loaded only here: better-sqlite3 is optional, and only this mode needs it.
    const [{ Store }, { storeSink }, { defaultConfig }] = await Promise.all([import('../../daemon/store/store.js'), import('../../daemon/storeSink.js'), import('../../daemon/config.js')]);
    const store = new Store(o.db, { createDirectory: false });
    return { sink: storeSink(store, defaultConfig().retentionDays), close: () => void store.close() };
  }
  const client = new DiskPredictClient({ socketPath: o.socket ?? findDaemonSocket(), timeoutMs: 60_000 });
  return { sink: clientSink(client), close: () => client.close() };
}

function printReport(report: CollectReport, json: boolean): void {
  for (const d of report.devices) {
    if (json) {
      process.stdout.write(JSON.stringify({ time: new Date(report.startedAt).toISOString(), ...d }) + '\n');
      continue;
    }
    switch (d.outcome) {
      case 'stored':
        process.stdout.write(`${d.device}\t${d.devid}\tstored ${d.stored}, duplicate ${d.duplicates}${d.status !== undefined ? `\t${d.status}` : ''}${d.warnings.length ? `\tsmartctl: ${d.warnings.join('; ')}` : ''}\n`);
        break;
      case 'standby':
        process.stdout.write(`${d.device}\t-\tskipped: in standby (not woken)\n`);
        break;
      default:
        process.stdout.write(`${d.device}\t${d.outcome === 'error' && d.devid !== undefined ? d.devid : '-'}\t${d.outcome}: ${d.message}\n`);
    }
  }
}

function positive(v: string, flag: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n <= 0) throw new CliError(`${flag} must be a positive integer, got "${v}"`);
  return n;
}
