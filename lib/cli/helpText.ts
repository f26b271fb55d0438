import type { Option } from 'commander';

/** Help text shared by every command: exit codes and the environment variables the CLI reads. */

export const EXIT_CODES_HELP = `Exit codes:
  0  success (predict: no device is Bad)
  1  error: bad option, unreadable or unusable input, unwritable output, daemon error
  2  predict: at least one device is Bad
  3  train: the model failed the accuracy gate and was not written`;

export const ENVIRONMENT_HELP = `Environment:
  DISKPREDICT_CEPH_MODELS  directory of Ceph's imported models, when --ceph-models is not given
  DISKPREDICT_SHARED       folder holding data/backblaze for train --default (default: ../shared beside the package)
  DISKPREDICT_NATIVE=0     use the TypeScript implementation instead of the native addon (same results)
  DISKPREDICT_CACHE_DIR    where Ceph's parsed pickles are cached (default: $XDG_CACHE_HOME/diskpredict or ~/.cache/diskpredict; empty: none)`;

/**
 * An option's line in --help, the same for every command: its description, then in one bracket
 * whether it is required, its choices and its default (`default: 32`, never quoted).
 */
export function optionDescription(option: Option): string {
  const extra: string[] = [];
  if (option.mandatory) extra.push('required');
  if (option.argChoices) extra.push(`one of: ${option.argChoices.join(', ')}`);
  const value: unknown = option.defaultValue;
  if (option.defaultValueDescription !== undefined) extra.push(`default: ${option.defaultValueDescription}`);
  else if (value !== undefined && value !== false && !option.negate) extra.push(`default: ${Array.isArray(value) ? value.join(' ') : String(value)}`);
  return extra.length > 0 ? `${option.description} (${extra.join('; ')})` : option.description;
}
