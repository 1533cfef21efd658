import { ApiError } from '@connect/router';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { importDocuments } from '../../src/import/import-documents';
import { refusalOfUrl } from '../../src/import/public-address';
import { readPublicDocument } from '../../src/import/public-document';
import { restRoot } from '../helpers';

// Imports by public URL: what may be fetched (https, public hosts), and how a fetch is bounded
// (redirects re-checked hop by hop, size, time, the remote's failures). There is no internet in
// the tests, so the remote side is a fetch function that answers as a host would and records
// every request it was asked to make: a refused URL must never reach it.

type Answer = (url: string, init: RequestInit) => Promise<Response>;

function remote(answer: Answer) {
  const requested: string[] = [];
  const fetch = (url: string, init: RequestInit) => {
    requested.push(url);
    expect(init.redirect).toBe('manual');
    return answer(url, init);
  };
  return { fetch, requested };
}

const maxBytes = 1000;
const source = (fetch: Answer) =>
  importDocuments(env, { organisationId: '01JQ0000000000000000000000', restBase: restRoot, maxBytes }, fetch);

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

const redirect = (location: string, status = 302) => new Response(null, { status, headers: { location } });

/** Every class of URL an import must not fetch, as written by someone trying. */
const refused: [label: string, url: string][] = [
  ['plain http', 'http://api.example.com/openapi.json'],
  ['ftp', 'ftp://api.example.com/openapi.json'],
  ['file', 'file:///etc/passwd'],
  ['data', 'data:application/json,{}'],
  ['not a URL', 'openapi.json'],
  ['credentials in the URL', 'https://user:pass@api.example.com/openapi.json'],
  ['localhost', 'https://localhost/openapi.json'],
  ['localhost with a trailing dot', 'https://localhost./openapi.json'],
  ['LOCALHOST in capitals', 'https://LOCALHOST:8443/openapi.json'],
  ['a .localhost name', 'https://api.localhost/openapi.json'],
  ['a .internal name', 'https://service.internal/openapi.json'],
  ['metadata.google.internal', 'https://metadata.google.internal/computeMetadata/v1/'],
  ['a .local name', 'https://printer.local/openapi.json'],
  ['a home.arpa name', 'https://nas.home.arpa/openapi.json'],
  ['a single-label name', 'https://intranet/openapi.json'],
  ['loopback 127.0.0.1', 'https://127.0.0.1/openapi.json'],
  ['loopback 127.1.2.3', 'https://127.1.2.3/openapi.json'],
  ['loopback in decimal', 'https://2130706433/openapi.json'],
  ['loopback in hex', 'https://0x7f000001/openapi.json'],
  ['loopback in dotted hex', 'https://0x7f.0x0.0x0.0x1/openapi.json'],
  ['loopback in octal', 'https://0177.0.0.1/openapi.json'],
  ['loopback, two parts', 'https://127.1/openapi.json'],
  ['unspecified 0.0.0.0', 'https://0.0.0.0/openapi.json'],
  ['unspecified as 0', 'https://0/openapi.json'],
  ['RFC 1918 10/8', 'https://10.0.0.1/openapi.json'],
  ['RFC 1918 172.16/12', 'https://172.31.255.255/openapi.json'],
  ['RFC 1918 192.168/16', 'https://192.168.1.1/openapi.json'],
  ['RFC 1918 in decimal', 'https://3232235777/openapi.json'],
  ['CGNAT 100.64/10', 'https://100.64.0.1/openapi.json'],
  ['link-local', 'https://169.254.1.1/openapi.json'],
  ['cloud metadata 169.254.169.254', 'https://169.254.169.254/latest/meta-data/'],
  ['metadata in hex', 'https://0xa9fea9fe/latest/meta-data/'],
  ['multicast', 'https://224.0.0.1/openapi.json'],
  ['broadcast', 'https://255.255.255.255/openapi.json'],
  ['documentation range', 'https://192.0.2.10/openapi.json'],
  ['IPv6 loopback', 'https://[::1]/openapi.json'],
  ['IPv6 unspecified', 'https://[::]/openapi.json'],
  ['IPv6 unique local', 'https://[fd12:3456::1]/openapi.json'],
  ['AWS IPv6 metadata fd00:ec2::254', 'https://[fd00:ec2::254]/latest/meta-data/'],
  ['IPv6 link-local', 'https://[fe80::1]/openapi.json'],
  ['IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/openapi.json'],
  ['IPv4-mapped private, in hex', 'https://[::ffff:a00:1]/openapi.json'],
  ['IPv4-mapped metadata', 'https://[::ffff:169.254.169.254]/latest/meta-data/'],
  ['IPv4-compatible loopback', 'https://[::127.0.0.1]/openapi.json'],
  ['NAT64 of loopback', 'https://[64:ff9b::7f00:1]/openapi.json'],
  ['6to4 of a private address', 'https://[2002:a00:1::]/openapi.json'],
  ['IPv6 multicast', 'https://[ff02::1]/openapi.json'],
];

const allowed: string[] = [
  'https://api.example.com/openapi.json',
  'https://raw.githubusercontent.com/acme/api/main/openapi.yaml',
  'https://api.example.com:8443/v1/openapi.json?ref=main',
  'https://8.8.8.8/openapi.json',
  'https://[2606:4700:4700::1111]/openapi.json',
  'https://docs.example.com./openapi.json',
];

describe('which URLs an import may fetch', () => {
  it.each(refused)('refuses %s (400 on schemaURL), and never requests it', async (_, url) => {
    expect(refusalOfUrl(url)).not.toBeNull();
    const host = remote(() => Promise.resolve(new Response('{}')));
    const error = await refusal(source(host.fetch).read(url));
    expect(error.status).toBe(400);
    expect(error.fields?.[0]?.field).toBe('schemaURL');
    expect(host.requested).toEqual([]);
  });

  it.each(allowed)('allows %s', (url) => {
    expect(refusalOfUrl(url)).toBeNull();
  });

  it('reads a public document, with its media type', async () => {
    const host = remote(() =>
      Promise.resolve(new Response('openapi: 3.1.0\n', { headers: { 'content-type': 'application/yaml' } })),
    );
    expect(await source(host.fetch).read('https://api.example.com/openapi.yaml')).toEqual({
      text: 'openapi: 3.1.0\n',
      contentType: 'application/yaml',
    });
  });
});

describe('redirects: followed by hand, every hop checked before it is requested', () => {
  it('follows up to five redirects, relative ones from the hop that sent them', async () => {
    const host = remote((url) => {
      const hop = Number(new URL(url).searchParams.get('hop') ?? '0');
      if (hop < 4)
        return Promise.resolve(redirect(`https://hop${String(hop + 1)}.example.com/x?hop=${String(hop + 1)}`));
      if (hop === 4) return Promise.resolve(redirect('/final?hop=5', 307));
      return Promise.resolve(new Response('{"openapi":"3.1.0"}'));
    });
    const read = await source(host.fetch).read('https://start.example.com/x');
    expect(read.text).toBe('{"openapi":"3.1.0"}');
    expect(host.requested).toHaveLength(6);
    expect(host.requested[5]).toBe('https://hop4.example.com/final?hop=5');
  });

  it('refuses a sixth redirect', async () => {
    const host = remote((url) => Promise.resolve(redirect(`${url}x`)));
    const error = await refusal(source(host.fetch).read('https://loop.example.com/a'));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/too many redirects/);
    expect(host.requested).toHaveLength(6);
  });

  const hostile: [string, string][] = [
    ['the metadata address', 'https://169.254.169.254/latest/meta-data/'],
    ['loopback over http', 'http://127.0.0.1:8787/api/connect/v1/uploads/x'],
    ['a private address in decimal', 'https://167772161/'],
    ['localhost', 'https://localhost/admin'],
    ['an IPv4-mapped private address', 'https://[::ffff:192.168.0.1]/'],
    ['plain http to a public host', 'http://api.example.com/openapi.json'],
    ['a file URL', 'file:///etc/passwd'],
  ];
  it.each(hostile)('refuses a redirect to %s, without requesting it', async (_, target) => {
    const host = remote((url) =>
      Promise.resolve(url.startsWith('https://public.example.com/') ? redirect(target, 301) : new Response('{}')),
    );
    const error = await refusal(source(host.fetch).read('https://public.example.com/openapi.json'));
    expect(error.status).toBe(400);
    expect(error.fields?.[0]?.field).toBe('schemaURL');
    expect(error.message).toMatch(/redirected/);
    expect(host.requested).toEqual(['https://public.example.com/openapi.json']);
  });

  it('refuses a later hop to a private address after public ones', async () => {
    const host = remote((url) =>
      Promise.resolve(
        url === 'https://a.example.com/'
          ? redirect('https://b.example.com/')
          : url === 'https://b.example.com/'
            ? redirect('https://10.1.2.3/')
            : new Response('{}'),
      ),
    );
    const error = await refusal(source(host.fetch).read('https://a.example.com/'));
    expect(error.message).toMatch(/hop 2/);
    expect(host.requested).toEqual(['https://a.example.com/', 'https://b.example.com/']);
  });
});

describe('a public fetch is bounded and reports the remote side', () => {
  it('refuses a document over importDocumentBytes, by its declared length or as it streams', async () => {
    const declared = remote(() => Promise.resolve(new Response('x'.repeat(maxBytes + 1))));
    const streamed = remote(() =>
      Promise.resolve(
        new Response(
          new ReadableStream<Uint8Array>({
            pull(controller) {
              // Endless: the reader must stop on its own.
              controller.enqueue(new Uint8Array(300));
            },
          }),
        ),
      ),
    );
    for (const host of [declared, streamed]) {
      const error = await refusal(source(host.fetch).read('https://big.example.com/openapi.json'));
      expect(error.status).toBe(400);
      expect(error.fields?.[0]?.field).toBe('schemaURL');
      expect(error.limit).toEqual({ name: 'importDocumentBytes', value: maxBytes });
    }
    const exact = remote(() => Promise.resolve(new Response('x'.repeat(maxBytes))));
    expect((await source(exact.fetch).read('https://big.example.com/openapi.json')).text).toHaveLength(maxBytes);
  });

  it.each([404, 401, 500, 503])('answers 502 naming the status when the host answers %i', async (status) => {
    const host = remote(() => Promise.resolve(new Response('no', { status })));
    const error = await refusal(source(host.fetch).read('https://api.example.com/openapi.json'));
    expect(error.status).toBe(502);
    expect(error.code).toBe('provider_error');
    expect(error.message).toContain(String(status));
  });

  it('answers 502 for a redirect without a Location', async () => {
    const host = remote(() => Promise.resolve(new Response(null, { status: 302 })));
    expect((await refusal(source(host.fetch).read('https://api.example.com/'))).status).toBe(502);
  });

  it('answers 503 when the host cannot be reached', async () => {
    const host = remote(() => Promise.reject(new TypeError('Network connection lost.')));
    const error = await refusal(source(host.fetch).read('https://down.example.com/openapi.json'));
    expect(error.status).toBe(503);
  });

  it('answers 503 when the host does not answer within the deadline', async () => {
    const host = remote(
      (_, init) =>
        new Promise<Response>((_resolve, reject) => {
          init.signal?.addEventListener('abort', () => {
            reject(new DOMException('aborted', 'AbortError'));
          });
        }),
    );
    const started = Date.now();
    const error = await refusal(
      readPublicDocument('https://slow.example.com/openapi.json', { fetch: host.fetch, maxBytes, deadlineMs: 200 }),
    );
    expect(error.status).toBe(503);
    expect(error.message).toMatch(/200 ms/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('answers 503 when the body stops arriving before the deadline', async () => {
    const host = remote((_, init) =>
      Promise.resolve(
        new Response(
          new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(new TextEncoder().encode('{"open'));
              init.signal?.addEventListener('abort', () => {
                controller.error(new DOMException('aborted', 'AbortError'));
              });
            },
          }),
        ),
      ),
    );
    const error = await refusal(
      readPublicDocument('https://slow.example.com/openapi.json', { fetch: host.fetch, maxBytes, deadlineMs: 200 }),
    );
    expect(error.status).toBe(503);
  });
});
