import { Scalar } from '@scalar/hono-api-reference';
import { createDb } from '@connect/db';
import { importDocuments } from './import/import-documents.js';
import { WorkerExportCache } from './export-cache.js';
import { deploymentKeyring } from './keyring.js';
import { trpcServer } from '@hono/trpc-server';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { getTRPCErrorShape, type TRPCError } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import {
  ApiError,
  appRouter,
  uploadsPath,
  describeFailure,
  idempotencyKeyHeader,
  type IdempotencyRequest,
  invalidArgument,
  limitExceeded,
  type OperationContext,
  type TrpcContext,
  operationOf,
  trpcContext,
  toApiError,
  toTrpcError,
} from '@connect/router';
import { errorStatus, LimitsConfigError, type ErrorCode, type Limits } from '@connect/contracts';
import { oauth2CallbackPath } from '@connect/router/operations';
import { uploadDocument, uploadDocumentDoc } from './rest/upload-route.js';
import { oauth2Callback, oauth2CallbackDoc } from './rest/oauth2-callback.js';
import { authenticate } from './auth/authenticate.js';
import type { AppEnv } from './hono-env.js';
import { deploymentLimits } from './limits.js';
import { requestLimits, retryAfterRateLimit } from './rate-limit.js';
import { openApiDocument } from './rest/openapi.js';
import { replayedHeader } from './rest/request.js';
import { restRoutes } from './rest/routes.js';

/** How much of a refused body is read (and dropped) so that the connection stays usable: this many bodies' worth. */
const discardedBodies = 16;
/** Seconds a client is asked to wait before retrying a 503 `unavailable`. */
const retryAfterSeconds = '2';

/** A positive whole number of milliseconds from a var, else `fallback` (a typo must not remove the bound). */
function milliseconds(value: string | undefined, fallback: number): number {
  const ms = Number(value);
  return Number.isInteger(ms) && ms > 0 ? ms : fallback;
}

/**
 * Imports (ImportHTTPConnector, ImportHTTPConnectorVersion, over REST or tRPC) parse, validate and
 * write a whole API description in one request: GitHub's (13 MB, 2,693 children) takes about 7 s
 * here, near the 8 s deadline and far past the 3 s statement timeout of every other request. They,
 * and the upload of a document to import, get at least these instead (docs/import.md).
 */
const importBudget = { deadlineMs: 30_000, statementTimeoutMs: 20_000 } as const;
// The upload of a document (PUT to an upload URL, up to importDocumentBytes) is held to the same
// budget: a 32 MB body from a slow client outlasts 8 s.
const importPath =
  /(\/http\/import$)|(^\/trpc\/(connectors|connectorVersions)\.import$)|(^\/api\/connect\/v1\/uploads\/)/;
const isImport = (path: string) => importPath.test(path);

/** A positive whole number of seconds from a var, else `fallback`. */
const seconds = milliseconds;

/**
 * `make` once per key: middleware that depends on a deployment's limit is made for each value seen
 * (a deployment has one; tests pass a few) rather than per request.
 */
function memoised<K, V>(make: (key: K) => V): (key: K) => V {
  const made = new Map<K, V>();
  return (key) => {
    let value = made.get(key);
    if (value === undefined) {
      value = make(key);
      made.set(key, value);
    }
    return value;
  };
}

/** Hono's own refusals (a malformed body, say) keep their 4xx; anything else is the router's to map. */
function apiErrorOf(error: unknown): ApiError {
  if (error instanceof HTTPException && error.status < 500) {
    const code = (Object.keys(errorStatus) as ErrorCode[]).find((k) => errorStatus[k] === error.status);
    return new ApiError(code ?? 'invalid_argument', error.message || 'the request is not valid');
  }
  return toApiError(error);
}

const unauthenticated = () => new ApiError('unauthenticated', 'missing or invalid credentials');

/** The operation context of an authenticated request, or null when the credential fails. */
async function operationContext(
  env: Env,
  limits: Limits,
  request: { url: string; header(name: string): string | undefined },
  executionCtx: { waitUntil(promise: Promise<unknown>): void },
): Promise<OperationContext | null> {
  const authorization = request.header('authorization');
  const configuredTimeoutMs = milliseconds(env.STATEMENT_TIMEOUT_MS, 3_000);
  const statementTimeoutMs = isImport(new URL(request.url).pathname)
    ? Math.max(configuredTimeoutMs, importBudget.statementTimeoutMs)
    : configuredTimeoutMs;
  const db = createDb(env.DATABASE_URL, { statementTimeoutMs });
  const waitUntil = (promise: Promise<unknown>) => {
    executionCtx.waitUntil(promise);
  };
  const rateLimits = requestLimits(env, (name) => request.header(name));
  const caller = await authenticate(authorization, { env, db, waitUntil, beforeLookup: rateLimits.beforeLookup });
  await rateLimits.admit(caller);
  const restBase = `${new URL(request.url).origin}/api/connect/v1`;
  // Checked (400) only where an operation takes a key: other requests ignore the header.
  const key = request.header(idempotencyKeyHeader);
  const idempotency: IdempotencyRequest | undefined =
    key === undefined
      ? undefined
      : {
          key,
          ttlSeconds: seconds(env.IDEMPOTENCY_TTL_SECONDS, 86_400),
          db: (claim) => createDb(env.DATABASE_URL, { statementTimeoutMs, idempotency: claim }),
          replayed: false,
        };
  const credentialKeyring = deploymentKeyring(env);
  const exportCache = caller ? await WorkerExportCache.of(env.DATABASE_URL, caller.organisationId) : undefined;
  return (
    caller && {
      organisationId: caller.organisationId,
      caller,
      db,
      waitUntil,
      restBase,
      limits,
      idempotency,
      credentialKeyring,
      importDocuments: importDocuments(env, {
        organisationId: caller.organisationId,
        restBase,
        maxBytes: limits.importDocumentBytes,
      }),
      versionNotice: { deprecation: null },
      exportCache,
    }
  );
}

const trpcOptions = {
  router: appRouter,
  endpoint: '/trpc',
  responseMeta: ({ ctx, errors }: { ctx?: TrpcContext | undefined; errors: TRPCError[] }) => {
    const headers: Record<string, string> = {};
    if (ctx && operationOf(ctx)?.idempotency?.replayed) headers[replayedHeader] = 'true';
    if (errors.some((e) => e.code === 'UNAUTHORIZED')) headers['www-authenticate'] = 'Bearer';
    if (errors.some((e) => e.code === 'SERVICE_UNAVAILABLE')) headers['retry-after'] = retryAfterSeconds;
    return { headers };
  },
};

/** tRPC's answer to a request refused before any procedure ran: each call gets `error`. */
const trpcRefusal = (request: Request, error: ApiError) =>
  fetchRequestHandler({
    ...trpcOptions,
    req: request,
    createContext: () => {
      throw toTrpcError(error);
    },
  });

/**
 * tRPC's answer to a request refused as a whole (not call by call), as tRPC itself answers one it
 * cannot parse: one error, with the API's code and the limit in its data.
 */
const trpcWholeRefusal = (error: ApiError) =>
  Response.json(
    {
      error: getTRPCErrorShape({
        config: appRouter._def._config,
        error: toTrpcError(error),
        type: 'unknown',
        path: undefined,
        input: undefined,
        ctx: undefined,
      }),
    },
    { status: error.status },
  );

/** How many calls a tRPC request makes: its path names them, comma-separated, when `batch=1`. */
function trpcCalls(url: URL): number {
  if (url.searchParams.get('batch') !== '1') return 1;
  // The client writes the commas as they are; a percent-encoded one names a call boundary too
  // once tRPC decodes the path.
  return url.pathname.split(/,|%2C/i).length;
}

/** The Worker's HTTP surface: health, the REST API under /api/connect/v1, and tRPC under /trpc. */
export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  // Browser apps on any origin may call the API: callers prove who they are with a bearer token,
  // never a cookie, so a page on another site gains nothing it does not already hold. Preflights
  // are answered here, before authentication, and cost no database request. Request headers are
  // reflected so the typed client's extra `headers` pass too.
  app.use(
    '*',
    cors({
      origin: '*',
      allowMethods: ['GET', 'POST', 'PUT', 'DELETE'],
      exposeHeaders: ['WWW-Authenticate', 'Retry-After', 'ETag', replayedHeader, 'Deprecation', 'Sunset', 'Link'],
      maxAge: 86_400,
    }),
  );

  // The deployment's limits, before anything else that answers: an unusable LIMITS var refuses
  // every request (health included, so a bad deployment shows), and says why in the log.
  app.use('*', async (c, next) => {
    const limits = deploymentLimits(c.env);
    if (limits instanceof LimitsConfigError) {
      console.error(`refusing every request: ${limits.message}`);
      const error = new ApiError('internal', 'the service is misconfigured (its limits); see its log');
      return c.json(error.toBody(), error.status);
    }
    c.set('limits', limits);
    return next();
  });

  app.get('/health', (c) => c.json({ ok: true }));
  app.use('*', retryAfterRateLimit());

  // A body refused for its size must still be consumed: `wrangler dev`'s proxy otherwise never
  // finishes the exchange and hangs the next request on the same connection. bodyLimit reads a body
  // without a length through a reader it never releases, so this relay stands in between and keeps
  // the source, and a refused body's rest is discarded.
  const refusable = new WeakMap<Request, () => Promise<void>>();
  app.use('*', async (c, next) => {
    const body: ReadableStream<Uint8Array> | null = c.req.raw.body;
    if (body === null || c.req.raw.headers.has('content-length')) return next();
    // Taken on first read: a Request cannot be copied from one whose body is locked.
    let source: ReadableStreamDefaultReader<Uint8Array> | undefined;
    const reader = (): ReadableStreamDefaultReader<Uint8Array> => (source ??= body.getReader());
    const relay = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          const { done, value } = await reader().read();
          if (done) controller.close();
          else controller.enqueue(value);
        },
        cancel: (reason) => reader().cancel(reason),
      },
      // Reads only when asked to, so no read of the source is pending when the rest is discarded.
      { highWaterMark: 0 },
    );
    c.req.raw = new Request(c.req.raw, { body: relay });
    refusable.set(c.req.raw, async () => {
      // Cancelling the source does not free the proxy; reading it to its end does. Bounded, so
      // an endless body costs at most this much: past it, the source is cancelled.
      let left = discardedBodies * c.get('limits').bodyBytes;
      for (;;) {
        const { done, value } = await reader().read();
        if (done) return;
        left -= value.byteLength;
        if (left < 0) return reader().cancel();
      }
    });
    return next();
  });
  // The body limit is the deployment's (`bodyBytes`): one middleware per value seen (a deployment
  // has one), made on first use.
  const bodyLimitOf = memoised(
    (maxSize: number): MiddlewareHandler<AppEnv> =>
      bodyLimit({
        maxSize,
        onError: async (c) => {
          await refusable.get(c.req.raw)?.();
          const error = limitExceeded('payload_too_large', 'bodyBytes', maxSize, 'the request body is too large');
          return c.json(error.toBody(), error.status);
        },
      }),
  );
  // An upload (PUT /uploads/{id}) is bounded by its signed length instead, which may be up to
  // `importDocumentBytes`: the upload route checks it, and refuses a body of any other length.
  const uploadPrefix = `/api/connect/v1${uploadsPath}/`;
  const limitBody: MiddlewareHandler<AppEnv> = (c, next) =>
    c.req.method === 'PUT' && c.req.path.startsWith(uploadPrefix)
      ? next()
      : bodyLimitOf(c.get('limits').bodyBytes)(c, next);
  app.use('*', limitBody);

  // The API reference, for people: Scalar renders the OpenAPI document below. Its script is a
  // static asset of the deployment (public/docs/scalar.js, served ahead of the Worker), not a CDN's.
  app.get('/', (c) => c.redirect('/docs'));
  // Every tag open (the API is small enough to show whole); no web fonts, so the page asks nothing
  // of any host but this one.
  app.get(
    '/docs',
    Scalar({
      url: '/api/connect/v1/openapi.json',
      cdn: '/docs/scalar.js',
      pageTitle: 'Connect API reference',
      defaultOpenAllTags: true,
      withDefaultFonts: false,
    }),
  );

  // The OpenAPI document is public (client generators fetch it) and built once per isolate.
  const rest = restRoutes();
  let document: Record<string, unknown> | undefined;
  app.get('/api/connect/v1/openapi.json', (c) => {
    document ??= openApiDocument(rest.documented, '/api/connect/v1');
    return c.json(document);
  });

  // Every API request answers within REQUEST_DEADLINE_MS: past it, 503 `unavailable`. The statement
  // timeout bounds the database's work; this also bounds a database that does not answer at all
  // (the work left running is dropped with the request). Health, preflights and the OpenAPI
  // document, answered above without a database, are not held to it.
  app.use('*', async (c, next) => {
    const configuredMs = milliseconds(c.env.REQUEST_DEADLINE_MS, 8_000);
    const deadlineMs = isImport(c.req.path) ? Math.max(configuredMs, importBudget.deadlineMs) : configuredMs;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<true>((resolve) => {
      timer = setTimeout(() => {
        resolve(true);
      }, deadlineMs);
    });
    const late = await Promise.race([next().then(() => false), expired]);
    clearTimeout(timer);
    if (!late) return;
    const error = new ApiError('unavailable', `no answer within ${deadlineMs} ms; retry later`);
    c.header('Retry-After', retryAfterSeconds);
    c.res = c.req.path.startsWith('/trpc/')
      ? await trpcRefusal(c.req.raw, error)
      : c.json(error.toBody(), error.status);
  });

  // The OAuth 2.0 redirect is public: the user's browser brings the provider's answer, with no
  // credential of ours. The signed, single-use state is what authorises it (docs/oauth2.md); each
  // client address has the same rate limit as an unauthenticated caller anywhere else.
  app.get(`/api/connect/v1${oauth2CallbackPath}`, oauth2Callback);
  rest.documented.push({ method: 'GET', path: oauth2CallbackPath, doc: oauth2CallbackDoc });
  // The upload of a document to import is public too: its signed query authorises it (docs/import.md).
  app.put(`/api/connect/v1${uploadsPath}/:upload_id`, uploadDocument);
  rest.documented.push({ method: 'PUT', path: `${uploadsPath}/:upload_id`, doc: uploadDocumentDoc });

  app.use('/api/connect/v1/*', async (c, next) => {
    const operation = await operationContext(c.env, c.get('limits'), c.req, c.executionCtx);
    if (!operation) throw unauthenticated();
    c.set('operation', operation);
    await next();
  });
  app.route('/api/connect/v1', rest.app);

  // A batch larger than `trpcBatchMax` is refused whole before any work: no credential lookup, no
  // call. tRPC's own `maxBatchSize` (passed below as well) would refuse it too, but as a 400 whose
  // message names neither the limit nor its value, so the Worker counts the calls first.
  app.use('/trpc/*', async (c, next) => {
    const max = c.get('limits').trpcBatchMax;
    const calls = trpcCalls(new URL(c.req.url));
    if (calls > max) {
      await refusable.get(c.req.raw)?.();
      return trpcWholeRefusal(
        limitExceeded('payload_too_large', 'trpcBatchMax', max, `a tRPC batch of ${String(calls)} calls`),
      );
    }
    return next();
  });
  // One tRPC handler per batch cap seen (a deployment has one), made on first use.
  const trpcHandlerOf = memoised(
    (maxBatchSize: number): MiddlewareHandler<AppEnv> =>
      trpcServer({
        ...trpcOptions,
        maxBatchSize,
        // Works out who is calling and never throws for a bad credential: procedures refuse
        // anonymous callers themselves (an unreachable identity provider still fails the request).
        createContext: async (opts, c: Context<AppEnv>) => {
          try {
            // A key names one call: in a batch it would name several answers at once.
            if (c.req.header(idempotencyKeyHeader) !== undefined && opts.info.calls.length > 1) {
              throw invalidArgument(idempotencyKeyHeader, 'is accepted only on a request of one call, not on a batch');
            }
            return trpcContext(await operationContext(c.env, c.get('limits'), c.req, c.executionCtx));
          } catch (error) {
            throw toTrpcError(apiErrorOf(error));
          }
        },
      }),
  );
  const handleTrpc: MiddlewareHandler<AppEnv> = (c, next) => trpcHandlerOf(c.get('limits').trpcBatchMax)(c, next);
  app.use('/trpc/*', handleTrpc);

  app.notFound((c) => c.json(new ApiError('not_found', 'no such route').toBody(), 404));

  app.onError((error, c) => {
    const apiError = apiErrorOf(error);
    // Only the kind of failure: messages of database errors carry the request's values.
    if (apiError.code === 'internal') console.error('internal error', describeFailure(error));
    if (apiError.code === 'unauthenticated') c.header('WWW-Authenticate', 'Bearer');
    // A request still running under the same Idempotency-Key is answered within the deadline.
    if (apiError.code === 'unavailable' || apiError.code === 'idempotency_key_in_use') {
      c.header('Retry-After', retryAfterSeconds);
    }
    return c.json(apiError.toBody(), apiError.status);
  });

  return app;
}
