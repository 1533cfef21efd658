import { resolve } from 'node:path';
import { workerOptions } from '@connect/worker-harness';
import { describe, expect, it } from 'vitest';

describe('the rate limits in wrangler.jsonc', () => {
  it('bind the three limiters the Worker uses, all with the period that Retry-After announces', () => {
    const options = workerOptions(resolve(import.meta.dirname, '../wrangler.jsonc'));
    const limits = options.ratelimits as Record<string, { simple: { limit: number; period: number } }>;
    expect(Object.keys(limits).sort()).toEqual([
      'RATE_LIMIT_BY_ADDRESS',
      'RATE_LIMIT_BY_CREDENTIAL',
      'RATE_LIMIT_BY_ORGANISATION',
    ]);
    const bindings = options.bindings as Record<string, unknown>;
    const period = Number(bindings.RATE_LIMIT_PERIOD_SECONDS);
    expect(period === 10 || period === 60).toBe(true);
    for (const { simple } of Object.values(limits)) {
      expect(simple.period).toBe(period);
      expect(simple.limit).toBeGreaterThan(0);
    }
  });
});
