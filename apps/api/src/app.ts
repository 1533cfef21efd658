import { Scalar } from '@scalar/hono-api-reference';
import { createDb } from '@connect/db';
import { trpcServer } from '@hono/trpc-server';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import type { TRPCError } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import {
  ApiError,
  appRouter,
  describeFailure,
  idempotencyKeyHeader,
  type IdempotencyRequest,
  invalidArgument,
  type OperationContext,
  type TrpcContext,
  toApiError,
  toTrpcError,
} from '@connect/router';
import { errorStatus, type ErrorCode } from '@connect/contracts';
import { authenticate } from './auth/authenticate.js';
import type { AppEnv } from './hono-env.js';
import { requestLimits, retryAfterRateLimit } from './rate-limit.js';
import { openApiDocument } from './rest/openapi.js';
import { replayedHeader } from './rest/request.js';
import { restRoutes } from './rest/routes.js';

const maxBodyBytes = 1024 * 1024;
/** How much of a refused body is read (and dropped) so that the connection stays usable. */
const maxDiscardedBytes = 16 * maxBodyBytes;
/** Seconds a client is asked to wait before retrying a 503 `unavailable`. */
const retryAfterSeconds = '2';

/** A positive whole number of milliseconds from a var, else `fallback` (a typo must not remove the bound). */
function milliseconds(value: string | undefined, fallback: number): number {
  const ms = Number(value);
  return Number.isInteger(ms) && ms > 0 ? ms : fallback;
}

/** A positive whole number of seconds from a var, else `fallback`. */
const seconds = milliseconds;

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
  request: { url: string; header(name: string): string | undefined },
  executionCtx: { waitUntil(promise: Promise<unknown>): void },
): Promise<OperationContext | null> {
  const authorization = request.header('authorization');
  const statementTimeoutMs = milliseconds(env.STATEMENT_TIMEOUT_MS, 3_000);
  const db = createDb(env.DATABASE_URL, { statementTimeoutMs });
  const waitUntil = (promise: Promise<unknown>) => {
    executionCtx.waitUntil(promise);
  };
  const limits = requestLimits(env, (name) => request.header(name));
  const caller = await authenticate(authorization, { env, db, waitUntil, beforeLookup: limits.beforeLookup });
  await limits.admit(caller);
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
  return caller && { organisationId: caller.organisationId, caller, db, waitUntil, restBase, idempotency };
}

const trpcOptions = {
  router: appRouter,
  endpoint: '/trpc',
  responseMeta: ({ ctx, errors }: { ctx?: TrpcContext | undefined; errors: TRPCError[] }) => {
    const headers: Record<string, string> = {};
    if (ctx?.operation?.idempotency?.replayed) headers[replayedHeader] = 'true';
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
      exposeHeaders: ['WWW-Authenticate', 'Retry-After', 'ETag', replayedHeader],
      maxAge: 86_400,
    }),
  );

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
      let left = maxDiscardedBytes;
      for (;;) {
        const { done, value } = await reader().read();
        if (done) return;
        left -= value.byteLength;
        if (left < 0) return reader().cancel();
      }
    });
    return next();
  });
  app.use(
    '*',
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: async (c) => {
        await refusable.get(c.req.raw)?.();
        const error = new ApiError('payload_too_large', `the request body must be at most ${maxBodyBytes} bytes`);
        return c.json(error.toBody(), error.status);
      },
    }),
  );

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
    const deadlineMs = milliseconds(c.env.REQUEST_DEADLINE_MS, 8_000);
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

  app.use('/api/connect/v1/*', async (c, next) => {
    const operation = await operationContext(c.env, c.req, c.executionCtx);
    if (!operation) throw unauthenticated();
    c.set('operation', operation);
    await next();
  });
  app.route('/api/connect/v1', rest.app);

  app.use(
    '/trpc/*',
    trpcServer({
      ...trpcOptions,
      // Works out who is calling and never throws for a bad credential: procedures refuse
      // anonymous callers themselves (an unreachable identity provider still fails the request).
      createContext: async (opts, c) => {
        try {
          // A key names one call: in a batch it would name several answers at once.
          if (c.req.header(idempotencyKeyHeader) !== undefined && opts.info.calls.length > 1) {
            throw invalidArgument(idempotencyKeyHeader, 'is accepted only on a request of one call, not on a batch');
          }
          const env = c.env as Env;
          return { operation: await operationContext(env, c.req, c.executionCtx) };
        } catch (error) {
          throw toTrpcError(apiErrorOf(error));
        }
      },
    }),
  );

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
