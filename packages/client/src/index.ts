import type { AppRouter } from '@connect/api/router';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

export interface ClientOptions {
  /** Where the API is served, e.g. `http://127.0.0.1:8787`. */
  url: string;
  /** An API key (`ck_…`), sent as `Authorization: Bearer`. */
  apiKey: string;
  /** A fetch to use instead of the global one (a service binding, a test harness). */
  fetch?: (input: Request | string | URL, init?: RequestInit) => Promise<Response>;
}

/** A tRPC client typed by the API's router; calls made together are batched into one request. */
export function createClient(options: ClientOptions) {
  const base = options.url.replace(/\/+$/, '');
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${base}/trpc`,
        headers: { authorization: `Bearer ${options.apiKey}` },
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    ],
  });
}

export type Client = ReturnType<typeof createClient>;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type { AppRouter };

/** A failure reported by the API, with the same `code` and field errors as the REST error body. */
export type ApiClientError = TRPCClientError<AppRouter>;

export function isApiClientError(error: unknown): error is ApiClientError {
  return error instanceof TRPCClientError;
}
