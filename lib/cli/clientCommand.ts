import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { DiskPredictClient } from '../client/DiskPredictClient.js';
import { isJsonObject, parseJsonExact, stringifyJsonExact } from '../util/json.js';
import { defaultSocketCandidates, findDaemonSocket } from './defaultSocket.js';
import { CliError } from './errorLine.js';

interface ClientOptions {
  socket?: string;
  json?: string;
  timeoutMs: string;
}

/** `diskpredict client <op> [--json ARGS]`: one request to the daemon, the reply printed as JSON. */
export function registerClientCommand(program: Command): void {
  program
    .command('client')
    .description('send one request to a running daemon and print the reply (see docs/protocol.md)')
    .argument('<op>', 'predict, predict_batch, ingest, history, devices, health, info, metrics, reload')
    .option('--socket <path>', `daemon socket (default: the first that exists of ${defaultSocketCandidates().join(', ')})`)
    .option('--json <args>', 'request arguments as a JSON object, or @FILE to read them from a file')
    .option('--timeout-ms <n>', 'give up after this many milliseconds', '30000')
    .action(async (op: string, o: ClientOptions) => {
      const args = o.json === undefined ? {} : parseJsonExact(o.json.startsWith('@') ? await readFile(o.json.slice(1), 'utf8') : o.json);
      if (!isJsonObject(args)) throw new CliError('--json must be a JSON object');
      const timeoutMs = Number(o.timeoutMs);
      if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new CliError(`--timeout-ms must be a positive number, got "${o.timeoutMs}"`);
      const client = new DiskPredictClient({ socketPath: o.socket ?? findDaemonSocket(), timeoutMs });
      try {
        const reply = await client.request(op, args);
        // metrics: print the exposition text itself, as a scraper would see it
        if (op === 'metrics' && typeof reply['text'] === 'string') process.stdout.write(reply['text']);
        else process.stdout.write(stringifyJsonExact(reply, 2) + '\n');
      } finally {
        client.close();
      }
    });
}

