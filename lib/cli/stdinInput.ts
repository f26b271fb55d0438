/** `-` as an input path: the whole of stdin, read once (a second `-` gets nothing new), up to a size limit. */
import { CliError } from './errorLine.js';

export const STDIN_NAME = '<stdin>';

/** One smartctl output is ~64 kB, a Ceph dump of 180 days ~12 MB; `cat /dev/zero |` must end, not fill memory. */
export const MAX_STDIN_BYTES = 256 * 1024 * 1024;

let consumed: Promise<string> | undefined;

export function readStdinText(): Promise<string> {
  consumed ??= readBounded(process.stdin, MAX_STDIN_BYTES);
  return consumed;
}

async function readBounded(stream: NodeJS.ReadableStream, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += buf.length;
    if (total > maxBytes) throw new CliError(`${STDIN_NAME}: more than ${maxBytes} bytes; not one SMART document`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}
