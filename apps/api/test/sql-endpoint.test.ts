import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { json } from './helpers';

/** One statement straight to the local SQL endpoint, in the Neon HTTP protocol. */
async function query(text: string): Promise<Response> {
  return fetch(`${env.SQL_ENDPOINT_URL}/sql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: text, params: [] }),
  });
}

describe('the local SQL endpoint', () => {
  it('refuses an answer over 10 MiB as Neon does, so a query that would fail in production fails in tests', async () => {
    const cap = 10 * 1024 * 1024;
    const atCap = await query(`SELECT repeat('x', ${String(cap)})`);
    expect(atCap.status).toBe(200);
    await atCap.arrayBuffer();
    const over = await query(`SELECT repeat('x', ${String(cap - 2)}), 'abc'`);
    expect(over.status).toBe(507);
    expect(await json(over)).toEqual({ message: `response is too large (max is ${String(cap)} bytes)` });
  });
});
