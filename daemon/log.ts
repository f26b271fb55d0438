/**
 * Logging to stderr with sd-daemon priority prefixes (`<3>` error … `<7>` debug), which journald turns into
 * log levels and a terminal shows as a short tag.
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

export function stderrLogger(minLevel: LogLevel = 'info', write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const threshold = PRIORITY[minLevel];
  const at = (level: LogLevel) => (message: string) => {
    if (PRIORITY[level] <= threshold) write(`<${PRIORITY[level]}>${message.replace(/\n/g, ' ')}\n`);
  };
  return { error: at('error'), warning: at('warning'), notice: at('notice'), info: at('info'), debug: at('debug') };
}
