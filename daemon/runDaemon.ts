/** The daemon as a process: start, map signals (SIGHUP reload, SIGTERM/SIGINT stop), exit 0 when stopped. */
import { Daemon, type DaemonOptions } from './daemon.js';

export async function runDaemonProcess(options: DaemonOptions): Promise<void> {
  const daemon = await Daemon.start(options);
  const { log } = options;
  process.on('SIGHUP', () => {
    try {
      daemon.reload();
    } catch (err) {
      log.error(`reload failed, still serving the previous models and overrides: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info(`${signal} received`);
      daemon.stop().then(resolve, (err: unknown) => {
        log.error(`shutdown failed: ${err instanceof Error ? err.message : String(err)}`);
        process.exitCode = 1;
        resolve();
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  // Anything still pending (a systemd-notify child) must not keep a stopped daemon alive.
  process.exit(process.exitCode ?? 0);
}
