import type { Command } from 'commander';

// PLACEHOLDER: replaced by the issue that owns this command.
export function registerTrainCommand(_program: Command): void {}
