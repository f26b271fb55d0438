/**
 * Logging to stderr. Under systemd (journald reads stderr) each line starts with its sd-daemon
 * priority (`<3>` error … `<7>` debug), which journald turns into a log level; on a terminal those
 * would be noise, so a person sees `error: …` / `warning: …` and plain lines instead. A pipe or
 * file (a supervisor, a test) keeps the priorities: something there may parse them.
 */
export type LogLevel = 'error' | 'warning' | 'notice' | 'info' | 'debug';

const PRIORITY: Record<LogLevel, number> = { error: 3, warning: 4, notice: 5, info: 6, debug: 7 };

export interface Logger {
  error(message: string): void;
  warning(message: string): void;
  notice(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

export type LogStyle = 'priority' | 'terminal';

/** `priority` when journald is listening (systemd sets JOURNAL_STREAM / INVOCATION_ID) or stderr is no terminal. */
export function logStyleFor(env: NodeJS.ProcessEnv = process.env, stderrIsTty: boolean = process.stderr.isTTY === true): LogStyle {
  if (env['JOURNAL_STREAM'] || env['INVOCATION_ID']) return 'priority';
  return stderrIsTty ? 'terminal' : 'priority';
}

export function stderrLogger(
  minLevel: LogLevel = 'info',
  write: (line: string) => void = (l) => process.stderr.write(l),
  style: LogStyle = logStyleFor(),
): Logger {
  const threshold = PRIORITY[minLevel];
  const at = (level: LogLevel) => (message: string) => {
    if (PRIORITY[level] > threshold) return;
    const text = message.replace(/\n/g, ' ');
    if (style === 'priority') write(`<${PRIORITY[level]}>${text}\n`);
    else write(`${level === 'error' || level === 'warning' ? `${level}: ` : ''}${text}\n`);
  };
  return { error: at('error'), warning: at('warning'), notice: at('notice'), info: at('info'), debug: at('debug') };
}
