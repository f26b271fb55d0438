/** The small pieces the CLI's messages are made of. */
import { Writable } from 'node:stream';
import { Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { escapeInvisible, errorLine } from '../../lib/cli/errorLine.js';
import { optionDescription } from '../../lib/cli/helpText.js';
import { rebuildAdvice } from '../../lib/native/addon.js';
import { countNoun } from '../../lib/util/plural.js';
import { ProgressBar } from '../../lib/util/progressBar.js';

function sink(isTTY: boolean): { stream: Writable & { isTTY?: boolean }; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  }) as Writable & { isTTY?: boolean };
  stream.isTTY = isTTY;
  return { stream, text: () => text };
}

describe('CLI message pieces', () => {
  it('escapes what a terminal would hide or act on', () => {
    expect(escapeInvisible('a\ufeffb\u0001c\nd\u001b[31m\u200be')).toBe('a\\ufeffb\\x01c\\nd\\x1b[31m\\u200be');
    expect(escapeInvisible('ünïcødé – ok')).toBe('ünïcødé – ok');
    expect(errorLine('score', 'bad\nthing')).toBe('diskpredict score: bad\\nthing\n');
    expect(errorLine(undefined, 'x')).toBe('diskpredict: x\n');
  });

  it('counts with the right noun', () => {
    expect(countNoun(1, 'files')).toBe('1 file');
    expect(countNoun(0, 'files')).toBe('0 files');
    expect(countNoun(1, 'drive-days')).toBe('1 drive-day');
    expect(countNoun(2, 'drives')).toBe('2 drives');
  });

  it('shows required, choices and defaults one way', () => {
    expect(optionDescription(new Option('--out <f>', 'output').makeOptionMandatory())).toBe('output (required)');
    expect(optionDescription(new Option('--n <n>', 'count').default('32'))).toBe('count (default: 32)');
    expect(optionDescription(new Option('--f <f>', 'format').choices(['a', 'b']).default('a'))).toBe('format (one of: a, b; default: a)');
    expect(optionDescription(new Option('--json', 'as JSON').default(false))).toBe('as JSON');
  });

  it('advises on the addon as fits a clone or an installed dependency', () => {
    expect(rebuildAdvice('/home/me/src/diskpredict')).toBe('run npm run build:native');
    const installed = rebuildAdvice('/srv/app/node_modules/diskpredict');
    expect(installed).toMatch(/npm rebuild diskpredict/);
    expect(installed).not.toMatch(/build:native/);
  });
});

describe('ProgressBar', () => {
  it('is silent off a terminal unless asked; asked, it writes plain lines at most every interval', () => {
    const quiet = sink(false);
    new ProgressBar(quiet.stream, 'auto').update('reading', 0.5, 'x', true);
    expect(quiet.text()).toBe('');
    const lines = sink(false);
    const bar = new ProgressBar(lines.stream, 'always', 60_000);
    bar.update('reading', 0.25, 'a.csv done', true);
    bar.update('reading', 0.5, 'b.csv done', true); // within the interval: dropped
    bar.done();
    expect(lines.text()).toMatch(/^reading: 25% a\.csv done \(\d+ s\)\n$/);
  });

  it('draws a bar on a terminal and clears it when done, never with --progress off', () => {
    const tty = sink(true);
    const bar = new ProgressBar(tty.stream);
    bar.update('scoring', 0.5, '3 drives', true);
    bar.done();
    expect(tty.text()).toMatch(/^\r\x1b\[Kscoring \[#{15}-{15}\] 50% 3 drives\r\x1b\[K$/);
    const never = sink(true);
    new ProgressBar(never.stream, 'never').update('scoring', 0.5, '', true);
    expect(never.text()).toBe('');
  });
});
