export * from './types.js';
export * from './lifeExpectancy.js';
export * from './registry.js';
export * from './modelPredictor.js';
export * from './rulesPredictor.js';
export * from './deviceKind.js';
export * from './featureText.js';
export * from './scoringModel.js';
