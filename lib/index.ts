/** diskpredict: the public API. Each area exports its own surface from its index. */
export * from './util/json.js';
export * from './smart/index.js';
export * from './predict/index.js';
