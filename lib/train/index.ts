export * from './trainModel.js';
export * from './alarmBudgets.js';
export * from './labels.js';
export * from './dataset.js';
export * from './backblazeRule.js';
export * from './report.js';
export * from './crossValidate.js';
export * from './trainingDrives.js';
