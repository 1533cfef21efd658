export { createDb, sqlClient, type Db } from './client';
export { decodeCursor, encodeCursor, type Cursor } from './cursor';
export type { Page, PageRequest } from './queries/page';
export * from './queries/connectors';
export * from './queries/connector-versions';
export * from './queries/api-keys';
export * as schema from './schema';
export * from './queries/version-lifecycle';
