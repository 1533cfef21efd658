// One handler per operation: the tRPC procedures and the Worker's REST routes both call these.
export * from './api-keys.js';
export * from './connector-versions.js';
export * from './connectors.js';
export * from './definitions.js';
export * from './http-operations.js';
export * from './version-lifecycle.js';
export * from './connector-labels.js';
export * from './protocols.js';
export * from './auth-scheme-configs.js';
export * from './connections.js';
export * from './subscriptions.js';
export * from './version-diff.js';
export * from './publish-check.js';
export * from './oauth2.js';
export * from './imports.js';
