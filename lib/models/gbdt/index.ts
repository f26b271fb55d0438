export { trainGbdt, GbdtInputError, type GbdtProgress } from './booster.js';
export { GbdtModel } from './model.js';
export { gbdtModelFromJson } from './serialization.js';
export { ModelFormatError } from './formatError.js';
export { defaultGbdtParams, type GbdtDataset, type GbdtParams, type GbdtModelJson, type GbdtTreeJson } from './types.js';
export type { TreeArrays } from './tree.js';
