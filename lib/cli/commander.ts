/**
 * commander, loaded with `require`: imported from an ES module, a CommonJS package is first scanned
 * for its export names (cjs-module-lexer) before it runs, ~4 ms of every command's start-up that
 * `require` does not spend. The commands import Command and Option from here.
 */
import { createRequire } from 'node:module';
import type * as Commander from 'commander';

const commander = createRequire(import.meta.url)('commander') as typeof Commander;

export const Command = commander.Command;
export type Command = Commander.Command;
export const Option = commander.Option;
export type Option = Commander.Option;
