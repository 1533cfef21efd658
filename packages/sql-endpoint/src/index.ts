export type { SqlBackend, Session, Statement, StatementResult } from './backend';
export { pgBackend } from './pg-backend';
export { pgliteBackend } from './pglite-backend';
export { startSqlEndpoint, type SqlEndpoint, type RequestLog } from './server';
export { openBackend } from './open';
export { startLocalDatabase, type LocalDatabase } from './local-database';
