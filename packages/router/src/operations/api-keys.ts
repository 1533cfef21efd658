import {
  apiKeyDisplayPrefix,
  generateApiKey,
  pageQuery,
  sha256Hex,
  type ApiKey,
  type ApiKeyCreate,
  type ApiKeyCreated,
  type ApiKeyList,
  type ApiKeyListInput,
  type ApiKeyRevokeInput,
} from '@connect/contracts';
import { apiKeyCursorScope, insertApiKey, listApiKeys, revokeApiKey as revokeKey } from '@connect/db';
import { ApiError, invalidArgument, notFound, quotaExceeded } from '../api-error.js';
import { apiKeyCache } from '../api-key-cache.js';
import type { OperationContext } from '../context.js';
import { pageRequest } from './paging.js';

/** Keys are managed by the organisation's people (id_tokens), never by another key. */
function requireUser(ctx: OperationContext): void {
  if (ctx.caller.kind !== 'user') {
    throw new ApiError('permission_denied', 'API keys are managed with a user token, not with an API key');
  }
}

export async function createApiKey(ctx: OperationContext, input: ApiKeyCreate): Promise<ApiKeyCreated> {
  requireUser(ctx);
  // A replay would have to hand out the secret again, so the secret would have to be stored with
  // the answer: it is not (only its SHA-256 is). A lost answer is recovered by listing the keys.
  if (ctx.idempotency) {
    throw invalidArgument(
      'Idempotency-Key',
      'is not taken when creating an API key: its secret is shown once and never stored, so no answer can be replayed; list the keys to see whether a create went through, and revoke one whose secret you do not have',
    );
  }
  const key = await generateApiKey();
  const keyHash = await sha256Hex(key);
  const stored = await insertApiKey(ctx.db, {
    organisationId: ctx.organisationId,
    name: input.name,
    prefix: apiKeyDisplayPrefix(key),
    keyHash,
    expiresAt: input.expiresAt,
    quotas: ctx.limits,
  });
  if (!stored.ok && stored.quota) throw quotaExceeded(stored.quota);
  if (!stored.ok) throw new ApiError('internal', 'the key was not stored');
  // This isolate may remember the key as unknown; the key must work as soon as it is handed out.
  apiKeyCache.keyCreated(keyHash);
  return { ...stored.value, key };
}

export async function listOrganisationApiKeys(ctx: OperationContext, input: ApiKeyListInput): Promise<ApiKeyList> {
  requireUser(ctx);
  const query = input ?? pageQuery.parse({});
  return listApiKeys(ctx.db, {
    organisationId: ctx.organisationId,
    page: pageRequest(query, apiKeyCursorScope(ctx.organisationId)),
  });
}

export async function revokeApiKey(ctx: OperationContext, input: ApiKeyRevokeInput): Promise<ApiKey> {
  requireUser(ctx);
  const revoked = await revokeKey(ctx.db, ctx.organisationId, input.id);
  if (!revoked.ok) throw notFound('API key');
  // Other isolates stop trusting the key within API_KEY_CACHE_SECONDS; this one stops now.
  apiKeyCache.forgetKeyId(input.id);
  return revoked.value;
}
