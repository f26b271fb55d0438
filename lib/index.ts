/** diskpredict: the public API. Each area exports its own surface from its index. */
export * from './util/json.js';
export * from './smart/index.js';
export * from './predict/index.js';
export { nativeEnabled } from './native/index.js';
export * from './evaluate/index.js';
export * from './models/index.js';
export * from './client/index.js';
export * from './collect/index.js';
export * from './features/index.js';
export * from './train/index.js';
