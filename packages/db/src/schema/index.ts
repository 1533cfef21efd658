export * from './organisations';
export * from './connectors';
export * from './definitions';
export * from './operations';
