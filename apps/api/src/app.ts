import { createDb } from '@connect/db';
import { trpcServer } from '@hono/trpc-server';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError, toApiError } from './api-error';
import { authenticate } from './auth';
import type { AppEnv } from './hono-env';
import { restRoutes } from './rest/routes';
import { appRouter } from './trpc/router';

const maxBodyBytes = 1024 * 1024;
const unauthenticated = () => new ApiError('unauthenticated', 'missing or invalid credentials');

/** The Worker's HTTP surface: health, the REST API under /api/connect/v1, and tRPC under /trpc. */
export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/health', (c) => c.json({ ok: true }));

  app.use(
    '*',
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: (c) => {
        const error = new ApiError('payload_too_large', `the request body must be at most ${maxBodyBytes} bytes`);
        return c.json(error.toBody(), error.status);
      },
    }),
  );

  app.use('/api/connect/v1/*', async (c, next) => {
    const db = createDb(c.env.DATABASE_URL);
    const organisationId = await authenticate(c.req.header('authorization'), db);
    if (!organisationId) throw unauthenticated();
    c.set('operation', { organisationId, db });
    await next();
  });
  app.route('/api/connect/v1', restRoutes());

  app.use(
    '/trpc/*',
    trpcServer({
      router: appRouter,
      endpoint: '/trpc',
      // Works out who is calling and never throws: procedures refuse anonymous callers themselves.
      createContext: async (_opts, c) => {
        const db = createDb((c.env as Env).DATABASE_URL);
        return { db, organisationId: await authenticate(c.req.header('authorization'), db) };
      },
      responseMeta: ({ errors }) =>
        errors.some((e) => e.code === 'UNAUTHORIZED') ? { headers: { 'www-authenticate': 'Bearer' } } : {},
    }),
  );

  app.notFound((c) => c.json(new ApiError('not_found', 'no such route').toBody(), 404));

  app.onError((error, c) => {
    const apiError = toApiError(error);
    if (apiError.code === 'internal') console.error('unhandled error', error);
    if (apiError.code === 'unauthenticated') c.header('WWW-Authenticate', 'Bearer');
    return c.json(apiError.toBody(), apiError.status);
  });

  return app;
}
