import { ApiError, type ImportDocument, invalidArgument } from '@connect/router';
import { refusalOfUrl } from './public-address.js';

/** How a public document is fetched: through `fetch` (the Worker's own, or a test's), within bounds. */
export interface PublicFetchOptions {
  fetch: (input: string, init: RequestInit) => Promise<Response>;
  /** The deployment's `importDocumentBytes`: reading stops past it. */
  maxBytes: number;
  /** The whole fetch (every hop and the body) gets this long. */
  deadlineMs: number;
  signal?: AbortSignal | undefined;
}

/** Redirects followed at most; a sixth is refused. */
export const maxRedirects = 5;

const accept = 'application/json, application/yaml, application/vnd.oai.openapi+json, text/yaml;q=0.9, */*;q=0.1';

const schemaUrl = (message: string) => invalidArgument('schemaURL', message);

const overLimit = (max: number) => {
  const error = schemaUrl(`the document is larger than the limit importDocumentBytes (${String(max)} bytes)`);
  error.limit = { name: 'importDocumentBytes', value: max };
  return error;
};

/** The body, read until its end or until it passes `max` bytes (then the rest is never read). */
async function boundedText(response: Response, max: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > max) {
    await response.body?.cancel();
    throw overLimit(max);
  }
  const body: ReadableStream<Uint8Array> | null = response.body;
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw overLimit(max);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

const isRedirect = (status: number) => [301, 302, 303, 307, 308].includes(status);

/**
 * GETs a document from a public https URL: every hop (the URL and each redirect, at most five) is
 * checked by `refusalOfUrl` before it is requested, redirects are followed by hand so none is taken
 * unchecked, the body is bounded by `maxBytes` and the whole by `deadlineMs`. A host answering
 * 4xx/5xx is a 502 naming its status; one that does not answer in time, or cannot be reached, a 503.
 */
export async function readPublicDocument(url: string, options: PublicFetchOptions): Promise<ImportDocument> {
  const deadline = AbortSignal.timeout(options.deadlineMs);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  const late = () =>
    new ApiError('unavailable', `the host of schemaURL did not answer within ${String(options.deadlineMs)} ms`);
  let current = url;
  for (let hop = 0; ; hop += 1) {
    const refusal = refusalOfUrl(current);
    if (refusal) throw schemaUrl(hop === 0 ? refusal : `redirected (hop ${String(hop)}) to a URL that ${refusal}`);
    let response: Response;
    try {
      response = await options.fetch(current, { redirect: 'manual', signal, headers: { accept } });
    } catch {
      if (signal.aborted) throw late();
      throw new ApiError('unavailable', 'the host of schemaURL could not be reached');
    }
    if (isRedirect(response.status)) {
      await response.body?.cancel();
      const location = response.headers.get('location');
      if (!location)
        throw new ApiError(
          'provider_error',
          `the host of schemaURL answered ${String(response.status)} with no Location`,
        );
      if (hop >= maxRedirects) throw schemaUrl(`too many redirects (more than ${String(maxRedirects)})`);
      // Relative locations are taken from the hop that sent them.
      current = URL.canParse(location, current) ? new URL(location, current).href : location;
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new ApiError('provider_error', `the host of schemaURL answered ${String(response.status)}`);
    }
    try {
      return { text: await boundedText(response, options.maxBytes), contentType: response.headers.get('content-type') };
    } catch (error) {
      if (error instanceof ApiError) throw error;
      if (signal.aborted) throw late();
      throw new ApiError('unavailable', 'the host of schemaURL broke off the document');
    }
  }
}
