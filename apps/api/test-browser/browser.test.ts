import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { startWorker, type RunningWorker } from '@connect/worker-harness';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium';

/** The client bundled for the browser, as an app would ship it: no Node built-ins can slip in. */
async function bundleForBrowser(): Promise<string> {
  const result = await build({
    entryPoints: [resolve(import.meta.dirname, 'page-entry.ts')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    // The workspace's packages as TypeScript source, as the other tests import them.
    conditions: ['@connect/source'],
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error('esbuild wrote nothing');
  return output.text;
}

/** A page server on its own origin (another port than the Worker's), as a web app would be. */
async function servePage(script: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    if (request.url === '/client.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    } else {
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html><script type="module" src="/client.js"></script>');
    }
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return { server, origin: `http://localhost:${String((server.address() as AddressInfo).port)}` };
}

let worker: RunningWorker | undefined;
let browser: Browser | undefined;
let pageServer: Server | undefined;
let page: Page;
let workerUrl: string;
/** Every request the page made, as `METHOD url`. */
const sent: string[] = [];

beforeAll(async () => {
  // Started together; whatever did start is kept for afterAll to stop, even when another part failed.
  const [started, script, launched] = await Promise.allSettled([
    startWorker({ configPath: resolve(import.meta.dirname, '../wrangler.jsonc') }),
    bundleForBrowser(),
    launchChromium(),
  ]);
  if (started.status === 'fulfilled') worker = started.value;
  if (launched.status === 'fulfilled') browser = launched.value;
  for (const outcome of [started, script, launched]) if (outcome.status === 'rejected') throw outcome.reason;
  if (!worker || !browser || script.status !== 'fulfilled') throw new Error('setup did not finish');
  workerUrl = worker.url;
  const served = await servePage(script.value);
  pageServer = served.server;
  page = await browser.newPage();
  page.on('request', (request) => sent.push(`${request.method()} ${request.url()}`));
  await page.goto(served.origin);
  await page.waitForFunction(() => 'connect' in globalThis);
});

afterAll(async () => {
  await browser?.close();
  const server = pageServer;
  if (server) await new Promise((closed) => server.close(closed));
  await worker?.close();
});

/** A new organisation's API key, and the Worker's address, for a call made in the page. */
async function caller(): Promise<{ url: string; apiKey: string }> {
  if (!worker) throw new Error('no worker');
  return { url: workerUrl, apiKey: (await worker.organisation('browser')).apiKey };
}

describe('the typed client in a browser', () => {
  it('runs the README example from a page on another origin', async () => {
    const { version, latest } = await page.evaluate((options) => connect.quickstart(options), await caller());
    expect(version).toMatchObject({ name: '1.1.0', isLatest: true, publishedAt: expect.any(String) });
    expect(latest).toMatchObject({
      name: 'getOrder',
      responses: [{ status: 200, definitions: [{ definition: { name: 'Order' } }] }],
    });
  });

  it('batches calls made together into one request', async () => {
    const options = await caller();
    sent.length = 0;
    const counts = await page.evaluate(async (options) => {
      const api = connect.createClient(options);
      await api.connectors.create.mutate({ name: 'Batched', baseUrl: 'https://batched.example.com' });
      const [all, first] = await Promise.all([api.connectors.list.query({}), api.connectors.list.query({ first: 1 })]);
      return [all.connectors.length, first.connectors.length];
    }, options);
    expect(counts).toEqual([1, 1]);
    const reads = sent.filter((line) => line.startsWith(`GET ${workerUrl}/trpc/`));
    expect(reads).toHaveLength(1);
    expect(reads[0]).toContain('/trpc/connectors.list,connectors.list?batch=1');
  });

  it('gives the page the API’s code and field errors, for bad input and for a bad key', async () => {
    const failures = await page.evaluate(
      async ({ url, apiKey: key }) => {
        const failureOf = async (call: Promise<unknown>) => {
          try {
            await call;
            return null;
          } catch (error) {
            const failure = connect.apiFailureOf(error);
            return (
              failure && { code: failure.code, status: failure.status, fields: failure.fields.map((f) => f.field) }
            );
          }
        };
        const good = connect.createClient({ url, apiKey: key });
        const wrongKey = connect.createClient({ url, apiKey: `ck_${'A'.repeat(43)}` });
        return [
          await failureOf(good.connectors.create.mutate({ name: '', baseUrl: 'not a url' })),
          await failureOf(wrongKey.connectors.list.query({})),
        ];
      },
      await caller(),
    );
    expect(failures).toEqual([
      { code: 'invalid_argument', status: 400, fields: ['name', 'baseUrl'] },
      { code: 'unauthenticated', status: 401, fields: [] },
    ]);
  });
});

describe('the API reference', () => {
  it('opens from / at /docs, loads its script from the deployment, and lists every operation', async () => {
    if (!browser || !worker) throw new Error('no browser or worker');
    const reference = await browser.newPage();
    const scripts: string[] = [];
    const elsewhere: string[] = [];
    reference.on('request', (request) => {
      if (new URL(request.url()).origin !== new URL(workerUrl).origin) elsewhere.push(request.url());
    });
    reference.on('response', (response) => {
      if (response.request().resourceType() === 'script')
        scripts.push(`${String(response.status())} ${response.url()}`);
    });
    try {
      await reference.goto(`${workerUrl}/`);
      expect(new URL(reference.url()).pathname).toBe('/docs');
      // Operations are listed by their summaries, taken from the OpenAPI document the Worker serves.
      const document = (await (await fetch(`${workerUrl}/api/connect/v1/openapi.json`)).json()) as {
        paths: Record<string, Record<string, { summary: string }>>;
      };
      const summaries = Object.values(document.paths).flatMap((item) => Object.values(item).map((op) => op.summary));
      await reference
        .getByText('Create a draft version, optionally copied from another')
        .first()
        .waitFor({ timeout: 30_000 });
      const text = await reference.locator('body').innerText();
      const missing = summaries.filter((summary) => !text.includes(summary));
      expect(missing).toEqual([]);
      expect(scripts).toEqual([`200 ${workerUrl}/docs/scalar.js`]);
      // Nothing fetched from anywhere else (no CDN, no web fonts).
      expect(elsewhere).toEqual([]);
    } finally {
      await reference.close();
    }
  });
});
