/** `-` as an input path: the whole of stdin, read once (a second `-` gets nothing new). */
import { text } from 'node:stream/consumers';

export const STDIN_NAME = '<stdin>';

let consumed: Promise<string> | undefined;

export function readStdinText(): Promise<string> {
  consumed ??= text(process.stdin);
  return consumed;
}
