export type { SqlBackend, Session, Statement, StatementResult } from './backend.js';
export { pgBackend } from './pg-backend.js';
export { pgliteBackend } from './pglite-backend.js';
export { startSqlEndpoint, type SqlEndpoint, type RequestLog } from './server.js';
export { openBackend } from './open.js';
export { startLocalDatabase, type LocalDatabase } from './local-database.js';
