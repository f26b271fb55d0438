/** A one-line progress bar on a TTY (stderr); silent otherwise, so logs and CI stay clean. */
export interface ProgressBar {
  update(done: number, total: number, label: string): void;
  done(): void;
}

export function progressBar(stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  if (!stream.isTTY) return { update() {}, done() {} };
  let last = '';
  return {
    update(done, total, label) {
      const width = 30;
      const filled = Math.round((Math.min(done, total) / Math.max(total, 1)) * width);
      const line = `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${label}`;
      if (line !== last) stream.write(line);
      last = line;
    },
    done() {
      if (last) stream.write('\n');
      last = '';
    },
  };
}
