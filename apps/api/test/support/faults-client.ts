import { env } from 'cloudflare:workers';
import { json } from '../helpers';

/**
 * A call to the faults server (support/faults.ts, started by the suite's global setup): relays that
 * pause or kill the database connection, and row locks held on a connection of its own.
 */
export async function faults<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${env.FAULTS_URL}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`faults ${method} ${path}: ${response.status} ${await response.text()}`);
  return json<T>(response);
}
