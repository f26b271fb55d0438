export * from './backblazeRule.js';
export * from './smartctlHealth.js';
