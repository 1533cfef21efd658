import { errorStatus, fieldsOf, type ErrorBody, type ErrorCode, type ErrorField } from '@connect/contracts';
import { HTTPException } from 'hono/http-exception';
import { ZodError } from 'zod';

/** A failure with a code from the contracts' table; thrown where it happens, rendered in one place. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly fields: ErrorField[] | undefined;

  constructor(code: ErrorCode, message: string, fields?: ErrorField[]) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.fields = fields;
  }

  get status(): (typeof errorStatus)[ErrorCode] {
    return errorStatus[this.code];
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) };
  }
}

export const invalidArgument = (field: string, message: string) =>
  new ApiError('invalid_argument', `invalid ${field}: ${message}`, [{ field, message }]);

export const notFound = (what: string) => new ApiError('not_found', `${what} not found`);

/** The SQLSTATE of a database error, looking through the wrappers drizzle puts around it. */
function sqlState(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/**
 * Any thrown value as an ApiError. Validation failures name their fields; database constraint
 * violations that input checks did not catch first still map to the right 4xx, never a 500.
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof ZodError) {
    return new ApiError('invalid_argument', 'the request is not valid', fieldsOf(error));
  }
  if (error instanceof HTTPException && error.status < 500) {
    const code = (Object.keys(errorStatus) as ErrorCode[]).find((k) => errorStatus[k] === error.status);
    return new ApiError(code ?? 'invalid_argument', error.message || 'the request is not valid');
  }
  switch (sqlState(error)) {
    case '23505':
      return new ApiError('already_exists', 'a resource with this name already exists');
    case '23503':
      return new ApiError('not_found', 'a resource this request refers to does not exist');
    case '23514':
    case '22001':
    case '22P02':
    case '22007':
    case '22008':
      return new ApiError('invalid_argument', 'a value in the request is not valid');
    case '40001':
    case '40P01':
      return new ApiError('unavailable', 'the request conflicted with another; retry it');
    default:
      return new ApiError('internal', 'internal error');
  }
}
