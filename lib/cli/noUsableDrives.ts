/** `score` and `evaluate` read nothing they could use: one line saying why, from the skip tally. */
import type { IssueCount } from '../evaluate/issueTally.js';
import { countNoun } from '../util/plural.js';
import { CliError } from './errorLine.js';

export function noUsableDrives(issues: readonly IssueCount[]): CliError {
  const why = issues
    .filter((i) => i.kind === 'skipped')
    .slice(0, 2)
    .map((i) => `${i.reason}: ${countNoun(i.count, i.unit)}${i.examples[0] !== undefined ? ` (e.g. ${i.examples[0]})` : ''}`);
  return new CliError(`no usable drive in --data${why.length ? `: ${why.join('; ')}` : ''}`);
}
