export * from './errors.js';
export * from './names.js';
export * from './page.js';
export * from './connector.js';
export * from './connector-version.js';
export * from './api-key.js';
export * from './definition.js';
export * from './http-operation.js';
