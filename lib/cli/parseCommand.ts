/**
 * `diskpredict parse <file|dir|-…> [--format auto|smartctl|ceph|backblaze] [--json]`: prints the
 * normalized samples — with --json one JSON object per sample per line (64-bit counters as decimal
 * strings), otherwise a short table. Directories are read recursively (sorted, hidden entries
 * skipped); `-` reads one JSON document from stdin. Ceph entries without data and skipped
 * Backblaze rows are listed on stderr. An unreadable file is named on stderr with a one-line
 * reason and the others are still read; the exit code is then 1.
 */
import { Command, Option } from './commander.js';
import { streamBackblazeRows, type BackblazeBadRow } from '../smart/backblazeCsv.js';
import { SmartParseError } from '../smart/errors.js';
import { expandSmartPaths } from '../smart/readDeviceHistories.js';
import { readSmartFile, readSmartJsonText, readsAsBackblaze, type SmartFormatOption } from '../smart/readSmartFile.js';
import { sampleToJsonLine } from '../smart/sampleJson.js';
import { formatSampleRow, sampleTableHeader } from '../smart/sampleTable.js';
import type { DeviceHistory, SmartSample } from '../smart/types.js';
import { errorLine } from './errorLine.js';
import { readStdinText, STDIN_NAME } from './stdinInput.js';

export interface ParseOptions {
  format: SmartFormatOption;
  json: boolean;
}

export interface ParseOutput {
  out: (line: string) => void;
  err: (line: string) => void;
  /** the text behind `-` (default: stdin) */
  stdin?: () => Promise<string>;
}

/** Runs the command; returns the exit code (0 ok, 1 some input could not be read). */
export async function runParse(files: readonly string[], options: ParseOptions, io: ParseOutput): Promise<number> {
  let headerDone = options.json;
  const print = (s: SmartSample): void => {
    if (!headerDone) {
      io.out(sampleTableHeader());
      headerDone = true;
    }
    io.out(options.json ? sampleToJsonLine(s) : formatSampleRow(s));
  };
  let code = 0;
  const fail = (message: string): void => {
    io.err(errorLine('parse', message).trimEnd());
    code = 1;
  };
  for (const input of files) {
    if (input === '-') {
      try {
        printHistories(readSmartJsonText(await (io.stdin ?? readStdinText)(), STDIN_NAME, { format: options.format }).histories, STDIN_NAME);
      } catch (err) {
        if (!(err instanceof SmartParseError)) throw err;
        fail(err.message);
      }
      continue;
    }
    const { files: expanded, failures } = await expandSmartPaths([input]);
    for (const f of failures) fail(f.message);
    for (const file of expanded) await parseFile(file);
  }
  return code;

  function printHistories(histories: readonly DeviceHistory[], file: string): void {
    for (const history of histories) {
      for (const sample of history.samples) print(sample);
      for (const e of history.errors) {
        const at = [file, history.devid, e.key].filter((p) => p !== undefined).join(' ');
        io.err(`${at}: no SMART data: ${e.message}`);
      }
    }
  }

  async function parseFile(file: string): Promise<void> {
    try {
      if (readsAsBackblaze(file, options.format)) {
        // Streamed: Backblaze files hold up to millions of rows.
        const onBadRow = (bad: BackblazeBadRow): void => io.err(`${bad.file}: line ${bad.line}: skipped row: ${bad.message}`);
        for await (const sample of streamBackblazeRows(file, { onBadRow })) print(sample);
        return;
      }
      printHistories((await readSmartFile(file, { format: options.format })).histories, file);
    } catch (err) {
      if (!(err instanceof SmartParseError)) throw err;
      fail(err.message);
    }
  }
}

export function registerParseCommand(program: Command): void {
  program
    .command('parse')
    .description('read smartctl JSON, Ceph devicehealth dumps or Backblaze CSV and print normalized samples')
    .argument('<paths...>', 'files or directories; - reads one JSON document from stdin')
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
