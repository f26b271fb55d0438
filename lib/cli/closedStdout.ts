/**
 * `diskpredict … | head`: when the reader closes the pipe, stop quietly (no EPIPE stack trace),
 * keeping whatever exit code the command had already set.
 */
export function endQuietlyOnClosedStdout(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(process.exitCode ?? 0);
  });
}
