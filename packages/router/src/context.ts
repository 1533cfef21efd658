import type { Limits } from '@connect/contracts';
import type { CredentialKeyring, Db, IdempotencyClaim, VersionNotice } from '@connect/db';
import type { Caller } from './caller.js';
import type { ExportCache } from './export-cache.js';
import type { ImportDocumentSource } from './import/document-source.js';

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
  /** The keys that seal and open credential secrets (`CREDENTIALS_KEY`); absent where none is configured. */
  credentialKeyring?: (() => Promise<CredentialKeyring>) | undefined;
  /** Where imports naming a URL read their document; absent where imports by URL are not served. */
  importDocuments?: ImportDocumentSource | undefined;
  /** The request's Idempotency-Key, when it was sent with one (see `keyed`). */
  idempotency?: IdempotencyRequest | undefined;
  /**
   * Filled by reads through a version with what they learnt of it (its deprecation), for the REST
   * layer's headers; absent where nothing uses it (tRPC, tests calling operations).
   */
  versionNotice?: VersionNotice | undefined;
  /** Where published versions' OpenAPI exports are kept; absent where nothing keeps them (tests calling operations). */
  exportCache?: ExportCache | undefined;
}

/** A request sent with an Idempotency-Key, as the Worker hands it to the operations. */
export interface IdempotencyRequest {
  /** The header's value as sent: `keyed` checks it where an operation takes a key. */
  key: string;
  /** How long a first answer is kept for retries. */
  ttlSeconds: number;
  /** A database handle for this request that claims the key and stores or replays the answer. */
  db: (claim: IdempotencyClaim) => Db;
  /** Set once the answer given is a stored one: the Worker says so in a response header. */
  replayed: boolean;
}
