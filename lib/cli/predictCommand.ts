import type { Command } from 'commander';

// PLACEHOLDER: replaced by the issue that owns this command.
export function registerPredictCommand(_program: Command): void {}
