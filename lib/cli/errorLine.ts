/**
 * How the CLI reports a failure: one line, `diskpredict <command>: <message>`, with characters a
 * terminal would hide or act on (control characters, a byte-order mark, zero-width and line
 * separators) shown as escapes, so a bad byte in an input file is visible in the message.
 */

/** An error the user can fix (bad input, a bad flag value): its message is all they need. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028\u2029\u2060\ufeff]/g;

export function escapeInvisible(text: string): string {
  return text.replace(INVISIBLE, (c) => {
    switch (c) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default: {
        const code = c.charCodeAt(0);
        return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
      }
    }
  });
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** `diskpredict predict: …` (or `diskpredict: …` when no command was recognised). */
export function errorLine(command: string | undefined, message: string): string {
  return `diskpredict${command ? ` ${command}` : ''}: ${escapeInvisible(message)}\n`;
}
