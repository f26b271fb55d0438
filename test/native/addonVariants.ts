/**
 * The addon builds present in this checkout: the installed one (what lib/native/ loads) and each builder's own
 * copy (CI builds with cmake-js and node-gyp), so parity is checked for every build that exists.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from 'vitest';
import { ADDON_RELATIVE_PATH, loadAddonFile, type NativeAddon } from '../../lib/native/addon.js';
import { packageRoot } from '../../lib/util/packageInfo.js';

export interface AddonVariant {
  label: string;
  addon: NativeAddon;
}

const root = packageRoot();
const candidates: Array<[string, string]> = [
  ['installed', join(root, ADDON_RELATIVE_PATH)],
  ['cmake-js build', join(root, 'build', 'cmake', 'Release', 'diskpredict_native.node')],
  ['node-gyp build', join(root, 'build', 'gyp', 'diskpredict_native.node')],
];

export const addonVariants: AddonVariant[] = [];
export const addonProblems: string[] = [];
for (const [label, path] of candidates) {
  if (!existsSync(path)) continue;
  const load = loadAddonFile(path);
  if ('addon' in load) addonVariants.push({ label: `${label} (${load.addon.builder})`, addon: load.addon });
  else addonProblems.push(`${label}: ${load.error}`);
}

/** `describe` over each built addon; skips, saying why, when none is built. */
export function describeEachAddon(name: string, fn: (variant: AddonVariant) => void): void {
  if (addonVariants.length === 0) {
    describe.skip(`${name} [skipped: native addon not built — run npm run build:native]`, () => fn(null as never));
    return;
  }
  for (const variant of addonVariants) describe(`${name} — ${variant.label}`, () => fn(variant));
}
