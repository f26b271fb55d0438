/**
 * Progress of long work on stderr. On a terminal: a one-line bar redrawn at most every 200 ms.
 * Elsewhere (logs, pipes, tests) nothing, unless asked for (`--progress`): then a plain line at
 * most every 5 s, which a log file or CI output keeps readable.
 */
export type ProgressMode = 'auto' | 'always' | 'never';

const BAR_INTERVAL_MS = 200;
const LINE_INTERVAL_MS = 5_000;

export class ProgressBar {
  private last = 0;
  private readonly style: 'bar' | 'lines' | 'off';
  private label = '';
  private fraction = 0;
  private readonly started = Date.now();

  constructor(
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr,
    mode: ProgressMode = 'auto',
    private readonly lineIntervalMs = LINE_INTERVAL_MS,
  ) {
    const tty = stream.isTTY === true;
    this.style = mode === 'never' ? 'off' : tty ? 'bar' : mode === 'always' ? 'lines' : 'off';
  }

  update(label: string, fraction: number, detail = '', force = false): void {
    this.label = label;
    this.fraction = fraction;
    if (this.style === 'off') return;
    const now = Date.now();
    if (this.style === 'lines') {
      // A forced update may come once per file: still at most one line per interval.
      if (now - this.last < this.lineIntervalMs && this.last !== 0) return;
      this.last = now;
      const elapsed = Math.round((now - this.started) / 1000);
      this.stream.write(`${label}: ${Math.round(fraction * 100)}%${detail ? ` ${detail}` : ''} (${elapsed} s)\n`);
      return;
    }
    if (!force && now - this.last < BAR_INTERVAL_MS) return;
    this.last = now;
    const width = 30;
    const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    this.stream.write(`\r\x1b[K${label} [${bar}] ${Math.round(fraction * 100)}% ${detail}`);
  }

  /** Redraws the current step with new detail (e.g. a running count), keeping its label and fraction. */
  detail(detail: string): void {
    if (this.label) this.update(this.label, this.fraction, detail);
  }

  done(): void {
    if (this.style === 'bar') this.stream.write('\r\x1b[K');
  }
}
