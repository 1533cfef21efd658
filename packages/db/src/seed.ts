import { apiKeyDisplayPrefix, generateApiKey, isWellFormedApiKey, sha256Hex } from '@connect/contracts';

import type { RunStatement } from './run-statement.js';

export type { RunStatement };

export interface OrganisationCredentials {
  organisationId: string;
  apiKey: string;
}

/**
 * Creates an organisation and an API key for it, storing only the key's SHA-256. Used by the
 * development server, tests and benchmarks; the key management API will create keys for users.
 */
export async function createOrganisationWithKey(run: RunStatement, name: string): Promise<OrganisationCredentials> {
  const apiKey = await generateApiKey();
  const result = await run(
    `WITH o AS (INSERT INTO organisations (name) VALUES ($1) RETURNING id)
     INSERT INTO api_keys (organisation_id, name, prefix, key_hash)
     SELECT o.id, $2, $3, $4 FROM o RETURNING organisation_id`,
    [name, `${name} key`, apiKeyDisplayPrefix(apiKey), await sha256Hex(apiKey)],
  );
  const organisationId = result.rows[0]?.[0];
  if (typeof organisationId !== 'string') throw new Error('creating the organisation returned no id');
  return { organisationId, apiKey };
}

/** Whether `apiKey` is a live key of `organisationId` (used to reuse saved development credentials). */
export async function isLiveKey(run: RunStatement, credentials: OrganisationCredentials): Promise<boolean> {
  if (!(await isWellFormedApiKey(credentials.apiKey))) return false;
  const result = await run(
    `SELECT 1 FROM api_keys WHERE key_hash = $1 AND organisation_id = $2 AND revoked_at IS NULL`,
    [await sha256Hex(credentials.apiKey), credentials.organisationId],
  );
  return result.rows.length > 0;
}

/** A new API key of an existing organisation (its secret returned once; only its SHA-256 stored), or null without one. */
export async function addApiKey(
  run: RunStatement,
  organisationId: string,
  name: string,
): Promise<{ id: string; apiKey: string } | null> {
  const apiKey = await generateApiKey();
  const result = await run(
    `INSERT INTO api_keys (organisation_id, name, prefix, key_hash)
     SELECT id, $2, $3, $4 FROM organisations WHERE id = $1 RETURNING id`,
    [organisationId, name, apiKeyDisplayPrefix(apiKey), await sha256Hex(apiKey)],
  );
  const id = result.rows[0]?.[0];
  return typeof id === 'string' ? { id, apiKey } : null;
}
