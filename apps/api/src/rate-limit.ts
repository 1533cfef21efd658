import { ApiError, type Caller } from '@connect/router';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './hono-env.js';

/**
 * Rate limits, with the Workers rate-limiting binding (`ratelimits` in wrangler.jsonc: each
 * binding's limit and period are set there, per deployment). An authenticated request counts
 * against its credential and its organisation; a request without a credential this isolate
 * trusts counts against its client address — before an API key's database lookup, and when its
 * credential fails — so floods of missing, malformed or unknown credentials cost no database work.
 */

/** The longest period a binding can have: the safe Retry-After when the setting is not a number. */
const longestPeriodSeconds = 60;

const rateLimited = () => new ApiError('rate_limited', 'too many requests: retry after the time Retry-After gives');

async function enforce(limiter: RateLimit, key: string): Promise<void> {
  let success: boolean;
  try {
    ({ success } = await limiter.limit({ key }));
  } catch (error) {
    // The limiter protects the service; its own failure should not take the service down with it.
    console.error('rate limiter failed', error instanceof Error ? error.name : typeof error);
    return;
  }
  if (!success) throw rateLimited();
}

/** One budget per API key, and one per user of an organisation. */
function credentialKey(caller: Caller): string {
  return caller.kind === 'api_key'
    ? `key:${caller.keyId}`
    : `user:${caller.organisationId}:${encodeURIComponent(caller.subject)}`;
}

export interface RequestLimits {
  /** Counts the request against its client address, at most once per request; throws when over. */
  beforeLookup: () => Promise<void>;
  /** After authentication: the caller's limits, or the client address's when there is no caller. */
  admit: (caller: Caller | null) => Promise<void>;
}

/** The rate limits of one request (its headers give the client address). */
export function requestLimits(env: Env, header: (name: string) => string | undefined): RequestLimits {
  let address: Promise<void> | undefined;
  // Cloudflare sets CF-Connecting-IP on every request; only local runs may lack it.
  const byAddress = () =>
    (address ??= enforce(env.RATE_LIMIT_BY_ADDRESS, `address:${header('cf-connecting-ip') ?? 'unknown'}`));
  return {
    beforeLookup: byAddress,
    async admit(caller) {
      if (!caller) return byAddress();
      await enforce(env.RATE_LIMIT_BY_CREDENTIAL, credentialKey(caller));
      await enforce(env.RATE_LIMIT_BY_ORGANISATION, `organisation:${caller.organisationId}`);
    },
  };
}

/**
 * Adds `Retry-After` to every 429, REST or tRPC: the bindings' period (RATE_LIMIT_PERIOD_SECONDS),
 * since the binding says only whether a request is allowed, not when the window ends.
 */
export function retryAfterRateLimit(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (c.res.status !== 429 || c.res.headers.has('retry-after')) return;
    const seconds = Number(c.env.RATE_LIMIT_PERIOD_SECONDS);
    const valid = Number.isInteger(seconds) && seconds > 0;
    c.header('Retry-After', String(valid ? seconds : longestPeriodSeconds));
  };
}
