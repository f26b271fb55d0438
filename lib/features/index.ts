export * from './featurizeColumns.js';
export * from './attributeValue.js';
export * from './vendorCode.js';
export * from './columnsFromHistory.js';
export * from './columnsFromBackblaze.js';
