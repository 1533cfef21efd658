import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import worker from '../src/index';
import { origin, restRoot } from './helpers';

/** What the Worker answered: status and parsed JSON body. */
export interface Sent {
  status: number;
  body: unknown;
}

/** A body for the Worker: JSON, or multipart form data as a client uploads a file. */
export type Body = { json: unknown } | { form: FormData };

/**
 * A session with the Worker under `limits` (its LIMITS var, as a deployment sets it), its
 * DATABASE_URL tagged so that its database round trips can be counted.
 */
export function importSession(limits: Record<string, number> = {}) {
  const tag = `imports-${crypto.randomUUID()}`;
  const testEnv: Env = {
    ...env,
    LIMITS: Object.keys(limits).length > 0 ? JSON.stringify(limits) : '',
    DATABASE_URL: `${env.DATABASE_URL}?application_name=${tag}`,
    API_KEY_CACHE_SECONDS: '600',
  };
  return {
    async send(url: string, apiKey: string, body?: Body, headers: Record<string, string> = {}): Promise<Sent> {
      const init: RequestInit = { method: 'POST', headers: { ...headers, authorization: `Bearer ${apiKey}` } };
      if (body && 'json' in body) {
        init.body = JSON.stringify(body.json);
        (init.headers as Record<string, string>)['content-type'] = 'application/json';
      } else if (body) {
        init.body = body.form;
      }
      const target = url.startsWith('/trpc/') ? `${origin}${url}` : `${restRoot}${url}`;
      const ctx = createExecutionContext();
      const response = await worker.fetch(new Request(target, init), testEnv, ctx);
      await waitOnExecutionContext(ctx);
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
    },
    async get(url: string, apiKey: string): Promise<Sent> {
      const ctx = createExecutionContext();
      const response = await worker.fetch(
        new Request(`${restRoot}${url}`, { headers: { authorization: `Bearer ${apiKey}` } }),
        testEnv,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      return { status: response.status, body: await response.json<unknown>() };
    },
    /** Database round trips the Worker made in this session so far. */
    async databaseRequests(): Promise<number> {
      const response = await fetch(`${env.SQL_ENDPOINT_URL}/requests?application_name=${tag}`);
      return (await response.json<{ requests: number }>()).requests;
    },
  };
}

/** A multipart import body: the document as a file part (of no declared type unless given) and the metadata as JSON. */
export function upload(text: string, metadata: unknown, type = '', filename = 'openapi'): Body {
  const form = new FormData();
  form.append('file', new File([text], filename, { type }));
  form.append('metadata', JSON.stringify(metadata));
  return { form };
}
