/**
 * Headless Chromium (Debian's `chromium` package) for report tests: dump the DOM after scripts ran,
 * or save a screenshot. Each run gets a fresh profile and no network-facing background services.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

function findChromium(): string | undefined {
  const candidates = [process.env['CHROMIUM'], 'chromium', 'chromium-browser'].filter((c): c is string => !!c);
  for (const c of candidates) {
    try {
      execFileSync('which', [c], { stdio: 'ignore' });
      return c;
    } catch {
      // try the next name
    }
  }
  return undefined;
}

export const chromiumBinary = findChromium();

function runChromium(args: string[]): string {
  const profile = mkdtempSync(join(tmpdir(), 'diskpredict-chromium-'));
  try {
    const r = spawnSync(
      chromiumBinary!,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
        `--user-data-dir=${profile}`,
        ...args,
      ],
      { encoding: 'utf8', timeout: 90_000, maxBuffer: 64 << 20 },
    );
    if (r.status !== 0) throw new Error(`chromium exited ${r.status}: ${r.stderr.slice(-2000)}`);
    return r.stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

export function dumpDom(htmlFile: string): string {
  return runChromium(['--dump-dom', pathToFileURL(htmlFile).href]);
}

export function screenshot(htmlFile: string, pngFile: string, width = 1100, height = 2400): void {
  runChromium([`--screenshot=${pngFile}`, `--window-size=${width},${height}`, '--hide-scrollbars', pathToFileURL(htmlFile).href]);
}
