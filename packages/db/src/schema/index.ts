export * from './organisations.js';
export * from './connectors.js';
export * from './definitions.js';
export * from './operations.js';
export * from './idempotency.js';
export * from './dangling-links.js';
export * from './connections.js';
export * from './subscriptions.js';
