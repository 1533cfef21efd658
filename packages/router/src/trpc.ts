import {
  errorStatus,
  type DefinitionInUse,
  type ErrorCode,
  type ErrorField,
  type ExceededLimit,
  type ValidationMessage,
  type VersionChange,
} from '@connect/contracts';
import { initTRPC, TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { ZodError } from 'zod';
import { ApiError, toApiError } from './api-error.js';
import type { OperationContext } from './context.js';

/**
 * The request's context as the router's type carries it. `AppRouter` is what clients are typed by,
 * and a client must not need the server's types (its database handle) to be typed, so the type says
 * nothing of them: the Worker makes one with `trpcContext`, the procedures read the operation
 * context behind it with `operationOf`.
 */
// Types, not interfaces: @hono/trpc-server's createContext must return a Record<string, unknown>.
/** One request, as an opaque token: what the Worker's operation context is kept under. */
export type RequestToken = { readonly kind: 'connect-request' };
export type TrpcContext = { readonly request: RequestToken };

// Kept by token, not by the context object: tRPC and its Hono adapter may copy the context.
const operations = new WeakMap<RequestToken, OperationContext>();

/** The context of a request whose caller is `operation`, or of one whose credential failed (null). */
export function trpcContext(operation: OperationContext | null): TrpcContext {
  const request: RequestToken = { kind: 'connect-request' };
  if (operation) operations.set(request, operation);
  return { request };
}

/** The operation context behind a request's context: null when the credential failed. */
export const operationOf = (context: TrpcContext): OperationContext | null => operations.get(context.request) ?? null;

const trpcCodeByStatus: Record<number, TRPC_ERROR_CODE_KEY> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_SUPPORTED',
  409: 'CONFLICT',
  412: 'PRECONDITION_FAILED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_CONTENT',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_SERVER_ERROR',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
};

/** An ApiError as tRPC's error, keeping the ApiError as the cause for the formatter. */
export function toTrpcError(error: ApiError): TRPCError {
  return new TRPCError({
    code: trpcCodeByStatus[error.status] ?? 'INTERNAL_SERVER_ERROR',
    message: error.message,
    cause: error,
  });
}

/** Our error for any tRPC failure: input validation names its fields, like REST does. */
function apiErrorOf(error: TRPCError): ApiError {
  if (error.cause instanceof ApiError) return error.cause;
  if (error.cause instanceof ZodError) return toApiError(error.cause);
  if (error.code === 'NOT_FOUND') return new ApiError('not_found', 'no such procedure');
  if (error.code === 'BAD_REQUEST' || error.code === 'PARSE_ERROR')
    return new ApiError('invalid_argument', error.message);
  if (error.code === 'METHOD_NOT_SUPPORTED') return new ApiError('method_not_allowed', error.message);
  return toApiError(error.cause);
}

/** The data every tRPC error carries: the same `code` and `fields` as the REST error body. */
export interface ApiErrorData {
  apiCode: ErrorCode;
  fields?: ErrorField[];
  messages?: ValidationMessage[];
  /** On a refused definition delete: what still refers to each definition. */
  definitions?: DefinitionInUse[];
  /** When a limit was exceeded: which one, and its value in this deployment. */
  limit?: ExceededLimit;
  /** On a publish refused by the `backward` compatibility policy: the breaking changes (the first 20) and their count. */
  breakingChanges?: VersionChange[];
  breakingCount?: number;
  httpStatus: number;
}

const t = initTRPC.context<TrpcContext>().create({
  errorFormatter({ shape, error }) {
    const apiError = apiErrorOf(error);
    const data: ApiErrorData = {
      apiCode: apiError.code,
      httpStatus: errorStatus[apiError.code],
      ...(apiError.fields ? { fields: apiError.fields } : {}),
      ...(apiError.messages ? { messages: apiError.messages } : {}),
      ...(apiError.inUse ? { definitions: apiError.inUse } : {}),
      ...(apiError.limit ? { limit: apiError.limit } : {}),
      ...(apiError.breaking
        ? { breakingChanges: apiError.breaking.changes, breakingCount: apiError.breaking.count }
        : {}),
    };
    return { ...shape, message: apiError.message, data };
  },
});

export const router = t.router;

/** Procedures for authenticated callers: the handler never runs without an organisation. */
export const protectedProcedure = t.procedure.use(async ({ ctx, next }) => {
  const operation = operationOf(ctx);
  if (!operation) throw toTrpcError(new ApiError('unauthenticated', 'missing or invalid credentials'));
  const result = await next({ ctx: operation });
  // tRPC reports a thrown error as a failed result, wrapped as INTERNAL_SERVER_ERROR: give it
  // the tRPC code (and so the HTTP status) of our error instead.
  if (!result.ok) throw toTrpcError(apiErrorOf(result.error));
  return result;
});
