import { limitTable } from '@connect/contracts';
import { keyringFrom } from '@connect/db';
import { ApiError, newUploadId, signedUploadUrl } from '@connect/router';
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { importDocuments } from '../../src/import/import-documents';
import { purgeUploads, storeUpload } from '../../src/import/upload-store';
import { call, json, newOrganisation, restRoot } from '../helpers';

// Upload URLs end to end through the Worker: GetProtocolUploadURL signs, the public PUT stores into
// the UPLOADS bucket (Miniflare's R2), and the Worker's import source reads it back for the
// organisation that asked, and for no other.

interface SignedUrl {
  uploadUrl: string;
  url: string;
}

const document = JSON.stringify({ openapi: '3.1.0', info: { title: 'Shop', version: '1' }, paths: {} });
const bytes = new TextEncoder().encode(document).byteLength;

async function uploadUrlFor(
  org: { organisationId: string; apiKey: string },
  query: string,
  slug = 'http',
): Promise<Response> {
  return call('GET', `/o/${org.organisationId}/protocols/${slug}/upload-url?${query}`, { apiKey: org.apiKey });
}

async function signed(org: { organisationId: string; apiKey: string }, length = bytes, type = 'application/json') {
  const response = await uploadUrlFor(org, `content_type=${encodeURIComponent(type)}&content_length=${String(length)}`);
  expect(response.status).toBe(200);
  return json<SignedUrl>(response);
}

/** A PUT of `body` to an upload URL, as any HTTP client sends it: no credential. */
async function put(
  uploadUrl: string,
  body: BodyInit,
  headers: Record<string, string> = { 'content-type': 'application/json', 'content-length': String(bytes) },
): Promise<Response> {
  const response = await exports.default.fetch(new Request(uploadUrl, { method: 'PUT', body, headers }));
  const text = await response.text();
  return new Response(response.status === 204 ? null : text, response);
}

const sourceFor = (organisationId: string) =>
  importDocuments(env, { organisationId, restBase: restRoot, maxBytes: 4 * 1024 * 1024 });

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('GetProtocolUploadURL', () => {
  it('signs a URL to PUT to and names the URL to import from', async () => {
    const org = await newOrganisation();
    const { uploadUrl, url } = await signed(org);
    expect(url).toMatch(new RegExp(`^${restRoot}/uploads/[0-9a-f]{32}$`));
    expect(uploadUrl.startsWith(`${url}?`)).toBe(true);
    const query = new URL(uploadUrl).searchParams;
    expect(query.get('content_type')).toBe('application/json');
    expect(query.get('content_length')).toBe(String(bytes));
    expect(Number(query.get('expires')) - Date.now() / 1000).toBeGreaterThan(290);
    expect(Number(query.get('expires')) - Date.now() / 1000).toBeLessThanOrEqual(300);
  });

  it('refuses an unknown protocol (404) and missing or bad parameters (400 naming them)', async () => {
    const org = await newOrganisation();
    expect((await uploadUrlFor(org, 'content_type=application/json&content_length=10', 'bigquery')).status).toBe(404);
    const cases: [string, string][] = [
      ['', 'content_type'],
      ['content_type=application/json', 'content_length'],
      ['content_type=text/html&content_length=10', 'content_type'],
      ['content_type=application/json;%20charset=utf-8&content_length=10', 'content_type'],
      ['content_type=application/json&content_length=0', 'content_length'],
      ['content_type=application/json&content_length=-5', 'content_length'],
      ['content_type=application/json&content_length=1.5', 'content_length'],
      ['content_type=application/json&content_length=ten', 'content_length'],
    ];
    for (const [query, field] of cases) {
      const response = await uploadUrlFor(org, query);
      expect(response.status, query).toBe(400);
      const body = await json<{ fields: { field: string }[] }>(response);
      expect(
        body.fields.map((f) => f.field),
        query,
      ).toContain(field);
    }
  });

  it('refuses a length over importDocumentBytes, naming the limit', async () => {
    const org = await newOrganisation();
    const limit = limitTable.importDocumentBytes.default;
    const response = await uploadUrlFor(org, `content_type=application/yaml&content_length=${String(limit + 1)}`);
    expect(response.status).toBe(400);
    const body = await json<{ fields: { field: string }[]; limit: { name: string; value: number } }>(response);
    expect(body.fields[0]?.field).toBe('content_length');
    expect(body.limit).toEqual({ name: 'importDocumentBytes', value: limit });
    // Exactly the limit is allowed.
    expect((await uploadUrlFor(org, `content_type=application/yaml&content_length=${String(limit)}`)).status).toBe(200);
  });

  it('is listed in the OpenAPI document, with the public upload route', async () => {
    const document = await json<{
      paths: Record<string, Record<string, { operationId: string; security?: unknown[] }>>;
    }>(await call('GET', '/openapi.json'));
    const get = document.paths['/o/{organisation_id}/protocols/{protocol_slug}/upload-url']?.get;
    expect(get?.operationId).toBe('GetProtocolUploadURL');
    const upload = document.paths['/uploads/{upload_id}']?.put;
    expect(upload?.operationId).toBe('UploadImportDocument');
    expect(upload?.security).toEqual([]);
  });

  it('is served over tRPC as catalog.uploadUrl', async () => {
    const org = await newOrganisation();
    const input = encodeURIComponent(
      JSON.stringify({ protocolSlug: 'http', contentType: 'text/yaml', contentLength: 12 }),
    );
    const response = await exports.default.fetch(
      new Request(`http://connect.test/trpc/catalog.uploadUrl?input=${input}`, {
        headers: { authorization: `Bearer ${org.apiKey}` },
      }),
    );
    expect(response.status).toBe(200);
    const body = await response.json<{ result: { data: SignedUrl } }>();
    expect(new URL(body.result.data.uploadUrl).searchParams.get('content_type')).toBe('text/yaml');
  });
});

describe('the upload (PUT to uploadUrl) and reading it back', () => {
  it('stores the document, which the organisation then imports by its url', async () => {
    const org = await newOrganisation();
    const { uploadUrl, url } = await signed(org);
    const response = await put(uploadUrl, document);
    expect(response.status).toBe(204);
    const read = await sourceFor(org.organisationId).read(url);
    expect(read).toEqual({ text: document, contentType: 'application/json' });
  });

  it('takes a YAML document as large as the limit, over the request body limit', async () => {
    const org = await newOrganisation();
    const yaml = `openapi: 3.1.0\n# ${'x'.repeat(2 * 1024 * 1024)}\n`;
    const length = new TextEncoder().encode(yaml).byteLength;
    const { uploadUrl, url } = await signed(org, length, 'application/yaml');
    const response = await put(uploadUrl, yaml, {
      'content-type': 'application/yaml',
      'content-length': String(length),
    });
    expect(response.status).toBe(204);
    expect((await sourceFor(org.organisationId).read(url)).text).toBe(yaml);
  });

  it('is used once: a second PUT is refused and the first document stays', async () => {
    const org = await newOrganisation();
    const { uploadUrl, url } = await signed(org);
    expect((await put(uploadUrl, document)).status).toBe(204);
    const other = document.replace('Shop', 'Evil');
    const second = await put(uploadUrl, other);
    expect(second.status).toBe(409);
    expect((await json<{ code: string }>(second)).code).toBe('already_exists');
    expect((await sourceFor(org.organisationId).read(url)).text).toBe(document);
  });

  it('is used once even by two PUTs at the same time: one is kept, the other refused', async () => {
    const org = await newOrganisation();
    const { uploadUrl, url } = await signed(org);
    const variants = ['Aaaa', 'Bbbb'].map((name) => document.replace('Shop', name));
    const statuses = await Promise.all(variants.map(async (body) => (await put(uploadUrl, body)).status));
    expect(statuses.sort()).toEqual([204, 409]);
    const kept = (await sourceFor(org.organisationId).read(url)).text;
    expect(variants).toContain(kept);
  });

  it('refuses a tampered URL (403) and keeps nothing', async () => {
    const org = await newOrganisation();
    const { uploadUrl, url } = await signed(org);
    const tampered: [string, (q: URLSearchParams) => void][] = [
      [
        'a longer length',
        (q) => {
          q.set('content_length', String(bytes + 1000));
        },
      ],
      [
        'another type',
        (q) => {
          q.set('content_type', 'application/yaml');
        },
      ],
      [
        'another organisation',
        (q) => {
          q.set('organisation_id', '01JQ0000000000000000000000');
        },
      ],
      [
        'a later expiry',
        (q) => {
          q.set('expires', String(Number(q.get('expires')) + 3600));
        },
      ],
      [
        'a changed signature',
        (q) => {
          q.set('signature', `${q.get('signature')?.slice(0, -2) ?? ''}AA`);
        },
      ],
      [
        'no signature',
        (q) => {
          q.delete('signature');
        },
      ],
    ];
    for (const [label, change] of tampered) {
      const target = new URL(uploadUrl);
      change(target.searchParams);
      const response = await put(target.href, document);
      expect(response.status, label).toBe(403);
    }
    const elsewhere = new URL(uploadUrl);
    elsewhere.pathname = elsewhere.pathname.replace(/[0-9a-f]{32}$/, newUploadId());
    expect((await put(elsewhere.href, document)).status, 'another object').toBe(403);
    await expect(sourceFor(org.organisationId).read(url)).rejects.toThrow(/no uploaded document/);
  });

  it('refuses an expired URL (403), signed with the deployment key', async () => {
    const org = await newOrganisation();
    const keyring = await keyringFrom(env.CREDENTIALS_KEY ?? '');
    const { uploadUrl } = await signedUploadUrl(keyring, restRoot, {
      id: newUploadId(),
      organisationId: org.organisationId,
      contentType: 'application/json',
      contentLength: bytes,
      expires: Math.floor(Date.now() / 1000) - 1,
    });
    const response = await put(uploadUrl, document);
    expect(response.status).toBe(403);
    expect((await json<{ message: string }>(response)).message).toMatch(/expired/);
  });

  it('refuses a Content-Type or Content-Length other than the signed ones (400 naming the header)', async () => {
    const org = await newOrganisation();
    const { uploadUrl, url } = await signed(org);
    const cases: [Record<string, string>, string][] = [
      [{ 'content-type': 'application/yaml', 'content-length': String(bytes) }, 'Content-Type'],
      [{ 'content-type': 'application/json; charset=utf-8', 'content-length': String(bytes) }, 'Content-Type'],
      [{ 'content-type': 'application/json', 'content-length': String(bytes - 1) }, 'Content-Length'],
    ];
    for (const [headers, field] of cases) {
      const body = field === 'Content-Length' ? document.slice(0, -1) : document;
      const response = await put(uploadUrl, body, headers);
      expect(response.status, JSON.stringify(headers)).toBe(400);
      expect((await json<{ fields: { field: string }[] }>(response)).fields[0]?.field).toBe(field);
    }
    // Nothing was kept, and the URL still takes the right document.
    await expect(sourceFor(org.organisationId).read(url)).rejects.toThrow(/no uploaded document/);
    expect((await put(uploadUrl, document)).status).toBe(204);
  });

  it('refuses a body shorter or longer than its signed length and keeps nothing', async () => {
    const org = await newOrganisation();
    const { uploadUrl, url } = await signed(org);
    const streamOf = (text: string) =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(text));
          controller.close();
        },
      });
    for (const body of [document.slice(0, -10), `${document}${' '.repeat(10)}`]) {
      // Over HTTP, a stream that breaks the length its header announces: the runtime cuts the
      // request off, or the Worker refuses it with a 400; either way nothing is kept.
      const response = await put(uploadUrl, streamOf(body)).catch(() => null);
      if (response) expect(response.status, `${String(body.length)} bytes`).toBe(400);
      await expect(sourceFor(org.organisationId).read(url)).rejects.toThrow(/no uploaded document/);
      // The store itself, given such a stream, writes nothing.
      const grant = {
        id: newUploadId(),
        organisationId: org.organisationId,
        contentType: 'application/json',
        contentLength: bytes,
        expires: Math.floor(Date.now() / 1000) + 300,
      };
      expect(await storeUpload(env.UPLOADS, grant, streamOf(body))).toBe('wrong_length');
      expect(await env.UPLOADS.head(`uploads/${grant.id}`)).toBeNull();
    }
  });

  it("does not let another organisation import an organisation's upload", async () => {
    const owner = await newOrganisation();
    const other = await newOrganisation();
    const { uploadUrl, url } = await signed(owner);
    expect((await put(uploadUrl, document)).status).toBe(204);
    const error = await refusal(sourceFor(other.organisationId).read(url));
    expect(error.status).toBe(400);
    expect(error.fields?.[0]?.field).toBe('schemaURL');
    expect((await sourceFor(owner.organisationId).read(url)).text).toBe(document);
  });

  it('refuses upload URLs that name nothing, and the signed uploadUrl itself, with a 400 on schemaURL', async () => {
    const org = await newOrganisation();
    const { uploadUrl } = await signed(org);
    for (const url of [`${restRoot}/uploads/${newUploadId()}`, `${restRoot}/uploads/nope`, uploadUrl]) {
      const error = await refusal(sourceFor(org.organisationId).read(url));
      expect(error.status, url).toBe(400);
      expect(error.fields?.[0]?.field, url).toBe('schemaURL');
    }
  });

  it('keeps an upload for an hour: the scheduled purge deletes older ones', async () => {
    const org = await newOrganisation();
    const { uploadUrl, url } = await signed(org);
    expect((await put(uploadUrl, document)).status).toBe(204);
    await purgeUploads(env.UPLOADS);
    expect((await sourceFor(org.organisationId).read(url)).text).toBe(document);
    expect(await purgeUploads(env.UPLOADS, Date.now() + 3601 * 1000)).toBeGreaterThanOrEqual(1);
    await expect(sourceFor(org.organisationId).read(url)).rejects.toThrow(/no uploaded document/);
  });
});
