import type { AppRouter } from '@connect/router';
import type { DefinitionInUse, ErrorCode, ErrorField, ValidationMessage, VersionChange } from '@connect/contracts';
import { createTRPCClient, httpBatchLink, httpLink, splitLink, TRPCClientError, type TRPCClient } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

/** How the client proves who it is: an API key, or an id_token from the identity provider. */
export type Credential = { apiKey: string; token?: never } | { token: string; apiKey?: never };

export type ClientOptions = Credential & {
  /** Where the API is served, e.g. `http://127.0.0.1:8787`. */
  url: string;
  /** A fetch to use instead of the global one (a service binding, a test harness). */
  fetch?: (input: Request | string | URL, init?: RequestInit) => Promise<Response>;
  /** Headers sent with every request, besides the credential. */
  headers?: Record<string, string>;
};

/** The API as typed procedures: `client.actions.create.mutate(…)`, `client.connectors.list.query(…)`. */
export type Client = TRPCClient<AppRouter>;

/** The per-call context that carries an Idempotency-Key (see `idempotencyKey`). */
export interface IdempotentCallOptions {
  context: { idempotencyKey: string };
}

/**
 * Call options that make a mutation safe to retry: `client.connectorVersions.create.mutate(input,
 * idempotencyKey(key))`. The call goes out on its own (a key names one call, never a batch) with
 * the `Idempotency-Key` header; sent again with the same key and input, it gets the first answer
 * back. Use a new key (a random UUID) per logical request, and the same one for its retries.
 */
export const idempotencyKey = (key: string): IdempotentCallOptions => ({ context: { idempotencyKey: key } });

/** The key a call was given with `idempotencyKey`, if any. */
const keyOf = (context: Record<string, unknown>): string | undefined =>
  typeof context.idempotencyKey === 'string' ? context.idempotencyKey : undefined;

/**
 * A client typed by the API's router. Calls made together (in one tick) go out as one HTTP request,
 * but for calls with an Idempotency-Key (`idempotencyKey`), which go out alone.
 * Only `fetch` is needed, so it runs the same in Node (≥ 18), browsers and Workers.
 */
export function createClient(options: ClientOptions): Client {
  const base = options.url.replace(/\/+$/, '');
  const secret = options.apiKey ?? options.token;
  const common = {
    url: `${base}/trpc`,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  const headers = { ...options.headers, authorization: `Bearer ${secret}` };
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => keyOf(op.context) !== undefined,
        true: httpLink({
          ...common,
          headers: ({ op }) => ({ ...headers, 'idempotency-key': keyOf(op.context) ?? '' }),
        }),
        false: httpBatchLink({ ...common, headers }),
      }),
    ],
  });
}

/** Every procedure's input, e.g. `RouterInputs['actions']['create']`. */
export type RouterInputs = inferRouterInputs<AppRouter>;
/** Every procedure's result, e.g. `RouterOutputs['connectorVersions']['get']`. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type { AppRouter };

// The shapes users handle most, named (the same types the contracts define).
export type {
  Action,
  ActionCreate,
  Category,
  CompatibilityPolicy,
  Connector,
  ConnectorVersion,
  PublishCheck,
  Subscription,
  VersionChange,
  VersionDiff,
  Definition,
  DefinitionCreate,
  ErrorCode,
  ErrorField,
  HttpConnectorCreate,
  ImportConnectorInput,
  ImportHttpConnectorResult,
  ImportVersionInput,
  OAuth2Initialise,
  OAuth2InitialiseResponse,
  Trigger,
  TriggerCreate,
} from '@connect/contracts';

/** A failure reported by the API, as tRPC delivers it (`error.data` holds `apiCode`, `fields`, …). */
export type ApiClientError = TRPCClientError<AppRouter>;

export function isApiClientError(error: unknown): error is ApiClientError {
  return error instanceof TRPCClientError;
}

/** A failure of the API in the same terms as its REST error body. */
export interface ApiFailure {
  /** The error code from the API's table (`not_found`, `already_exists`, …). */
  code: ErrorCode;
  message: string;
  /** The HTTP status REST would answer with. */
  status: number;
  /** Which input fields are wrong, as paths (`responses[0].status`). Empty when none is named. */
  fields: ErrorField[];
  /** Why a version cannot be published, when that is the failure. */
  messages?: ValidationMessage[];
  /** What still refers to definitions a delete was refused for. */
  definitions?: DefinitionInUse[];
  /** The breaking changes (the first 20) a publish under the `backward` policy was refused for. */
  breakingChanges?: VersionChange[];
  /** How many breaking changes there are in all, with `breakingChanges`. */
  breakingCount?: number;
}

/**
 * The API's failure inside `error`, or null when `error` is something else (a network failure,
 * a bug). A transport error without the API's data (e.g. an HTML 502 from a proxy) is `unavailable`.
 */
export function apiFailureOf(error: unknown): ApiFailure | null {
  if (!isApiClientError(error)) return null;
  const data = error.data;
  if (!data || !('apiCode' in data)) {
    return { code: 'unavailable', message: error.message, status: 503, fields: [] };
  }
  return {
    code: data.apiCode,
    message: error.message,
    status: data.httpStatus,
    fields: data.fields ?? [],
    ...(data.messages ? { messages: data.messages } : {}),
    ...(data.definitions ? { definitions: data.definitions } : {}),
    ...(data.breakingChanges ? { breakingChanges: data.breakingChanges } : {}),
    ...(data.breakingCount === undefined ? {} : { breakingCount: data.breakingCount }),
  };
}
