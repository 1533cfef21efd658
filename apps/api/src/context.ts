import type { Db } from '@connect/db';

/** What every operation runs with: the caller's organisation (from its credential) and the database. */
export interface OperationContext {
  organisationId: string;
  db: Db;
}
