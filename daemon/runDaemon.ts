/** The daemon as a process: start, map signals (SIGHUP reload, SIGTERM/SIGINT stop), exit 0 when stopped. */
import { Daemon, type DaemonOptions } from './daemon.js';

export async function runDaemonProcess(options: DaemonOptions): Promise<void> {
  const { log } = options;
  // Handlers go in before the daemon starts: "listening on" and READY=1 reach a supervisor before Daemon.start
  // returns, and a SIGTERM sent on them must stop the daemon cleanly, not kill it by the default action.
  let daemon: Daemon | undefined;
  let stopRequested: string | undefined;
  let stop = (signal: string): void => {
    stopRequested ??= signal;
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => {
    if (!daemon) {
      log.warning('SIGHUP while starting: nothing to reload yet, the configuration was just read');
      return;
    }
    try {
      daemon.reload();
    } catch (err) {
      log.error(`reload failed, still serving the previous models and overrides: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  daemon = await Daemon.start(options);
  const started = daemon;
  await new Promise<void>((resolve) => {
    stop = (signal: string) => {
      log.info(`${signal} received`);
      started.stop().then(resolve, (err: unknown) => {
        log.error(`shutdown failed: ${err instanceof Error ? err.message : String(err)}`);
        process.exitCode = 1;
        resolve();
      });
    };
    if (stopRequested !== undefined) stop(stopRequested);
  });
  // Anything still pending (a systemd-notify child) must not keep a stopped daemon alive.
  process.exit(process.exitCode ?? 0);
}
