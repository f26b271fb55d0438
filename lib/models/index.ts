/** Model area: the boosted-tree learner, probability calibration and the versioned model file. */
export * from './gbdt/index.js';
export * from './calibration.js';
export * from './modelSchema.js';
export * from './modelFile.js';
export * from './ceph/index.js';
export * from './pickle/index.js';
