/**
 * A one-line progress bar on stderr, drawn only when stderr is a terminal (never in logs or
 * pipes), at most every 200 ms.
 */
export class ProgressBar {
  private last = 0;
  private readonly enabled: boolean;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.enabled = stream.isTTY === true;
  }

  update(label: string, fraction: number, detail = '', force = false): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.last < 200) return;
    this.last = now;
    const width = 30;
    const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    this.stream.write(`\r\x1b[K${label} [${bar}] ${Math.round(fraction * 100)}% ${detail}`);
  }

  done(): void {
    if (this.enabled) this.stream.write('\r\x1b[K');
  }
}
