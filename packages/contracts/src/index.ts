export * from './errors';
export * from './names';
export * from './page';
export * from './connector';
export * from './connector-version';
export * from './api-key';
export * from './definition';
export * from './http-operation';
