import { env } from 'cloudflare:workers';

/**
 * The tight test-only limiters (vitest.config.ts: 3 a minute per credential, 5 per organisation,
 * 3 per address), to put in place of the deployed ones in a request's env.
 */
export const tight = {
  credential: { RATE_LIMIT_BY_CREDENTIAL: env.TEST_RATE_LIMIT_CREDENTIAL },
  organisation: { RATE_LIMIT_BY_ORGANISATION: env.TEST_RATE_LIMIT_ORGANISATION },
  address: { RATE_LIMIT_BY_ADDRESS: env.TEST_RATE_LIMIT_ADDRESS },
};

/** The tight limiters count per minute: Retry-After must say so. */
export const tightPeriod = { RATE_LIMIT_PERIOD_SECONDS: '60' };

/**
 * The limiters count in fixed windows of a minute: a burst that straddled a window's end would
 * start counting afresh halfway. Bursts in the tests take well under a second.
 */
export async function awayFromWindowEdge(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 5_000) await new Promise((resolve) => setTimeout(resolve, left + 200));
}

/**
 * A client address of its own for each test, so no test counts against another's: 64 random bits,
 * as 16 bits let two of a run's hundred-odd addresses meet now and then.
 */
export const newAddress = () =>
  `2001:db8::${Array.from(crypto.getRandomValues(new Uint16Array(4)), (group) => group.toString(16)).join(':')}`;
