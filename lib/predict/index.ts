export * from './types.js';
export * from './lifeExpectancy.js';
