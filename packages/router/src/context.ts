import type { Limits } from '@connect/contracts';
import type { Db } from '@connect/db';
import type { Caller } from './caller.js';

/** What every operation runs with: who is calling (their organisation comes from the credential) and the database. */
export interface OperationContext {
  organisationId: string;
  caller: Caller;
  db: Db;
  waitUntil: (promise: Promise<unknown>) => void;
  /** Where this request reached the REST API (`https://host/api/connect/v1`): links in responses start here. */
  restBase: string;
  /** This deployment's quotas and request limits (the table's defaults, or the `LIMITS` var). */
  limits: Limits;
}
