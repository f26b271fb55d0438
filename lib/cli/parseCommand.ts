/**
 * `diskpredict parse <file…> [--format auto|smartctl|ceph|backblaze] [--json]`: prints the
 * normalized samples — with --json one JSON object per sample per line (64-bit counters as decimal
 * strings), otherwise a short table. Ceph entries without data and skipped Backblaze rows are
 * listed on stderr. An unreadable file stops the command with a one-line reason and a non-zero
 * exit code.
 */
import { Command, Option } from 'commander';
import { streamBackblazeRows, type BackblazeBadRow } from '../smart/backblazeCsv.js';
import { SmartParseError } from '../smart/errors.js';
import { readSmartFile, readsAsBackblaze, type SmartFormatOption } from '../smart/readSmartFile.js';
import { sampleToJsonLine } from '../smart/sampleJson.js';
import { formatSampleRow, sampleTableHeader } from '../smart/sampleTable.js';
import type { SmartSample } from '../smart/types.js';
import { errorLine } from './errorLine.js';

export interface ParseOptions {
  format: SmartFormatOption;
  json: boolean;
}

export interface ParseOutput {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** Runs the command; returns the exit code (0 ok, 1 an input could not be read). */
export async function runParse(files: readonly string[], options: ParseOptions, io: ParseOutput): Promise<number> {
  let headerDone = options.json;
  const print = (s: SmartSample): void => {
    if (!headerDone) {
      io.out(sampleTableHeader());
      headerDone = true;
    }
    io.out(options.json ? sampleToJsonLine(s) : formatSampleRow(s));
  };
  for (const file of files) {
    try {
      if (readsAsBackblaze(file, options.format)) {
        // Streamed: Backblaze files hold up to millions of rows.
        const onBadRow = (bad: BackblazeBadRow): void => io.err(`${bad.file}: line ${bad.line}: skipped row: ${bad.message}`);
        for await (const sample of streamBackblazeRows(file, { onBadRow })) print(sample);
        continue;
      }
      const { histories } = await readSmartFile(file, { format: options.format });
      for (const history of histories) {
        for (const sample of history.samples) print(sample);
        for (const e of history.errors) {
          const at = [file, history.devid, e.key].filter((p) => p !== undefined).join(' ');
          io.err(`${at}: no SMART data: ${e.message}`);
        }
      }
    } catch (err) {
      if (err instanceof SmartParseError) {
        io.err(errorLine('parse', err.message).trimEnd());
        return 1;
      }
      throw err;
    }
  }
  return 0;
}

export function registerParseCommand(program: Command): void {
  program
    .command('parse')
    .description('read smartctl JSON, Ceph devicehealth dumps or Backblaze CSV and print normalized samples')
    .argument('<file...>', 'input files')
    .addOption(new Option('--format <format>', 'input format').choices(['auto', 'smartctl', 'ceph', 'backblaze']).default('auto'))
    .option('--json', 'one JSON object per sample per line', false)
    .action(async (files: string[], opts: { format: SmartFormatOption; json: boolean }) => {
      const code = await runParse(files, opts, {
        out: (line) => process.stdout.write(line + '\n'),
        err: (line) => process.stderr.write(line + '\n'),
      });
      if (code !== 0) process.exitCode = code;
    });
}
