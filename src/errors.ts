import { GraphQLError } from 'graphql';

/**
 * The `extensions.code` values this service answers with. Anything else that goes wrong is
 * masked by yoga as `INTERNAL_SERVER_ERROR` ("Unexpected error.") without internals.
 */
export const errorCodes = {
  /** The request is well-formed GraphQL but an argument is not acceptable (page size, cursor, id). */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** The service cannot take the work now (worker queue full, shutting down, database unreachable); retry later. HTTP 503. */
  UNAVAILABLE: 'UNAVAILABLE',
  /** The operation ran past `REQUEST_TIMEOUT_MS`. HTTP 504. */
  TIMEOUT: 'TIMEOUT',
  /** The operation was refused as written (a limit, an unsupported operation type). HTTP 400. */
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  /** No valid bearer token (`AUTH=jwt`). HTTP 401 with `WWW-Authenticate: Bearer`. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** The caller's cost budget is spent; retry after `Retry-After` seconds. HTTP 429. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** The request is not a GraphQL request this service takes (e.g. a POST body that is not JSON: HTTP 415). */
  BAD_REQUEST: 'BAD_REQUEST',
  /** Something failed inside the service (e.g. the worker running the operation died). HTTP 500. */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

export function badUserInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: errorCodes.BAD_USER_INPUT } });
}

/**
 * `cause` is kept for startup messages; responses never show it. (Not `originalError`: yoga
 * masks a GraphQLError that wraps a non-GraphQL error.)
 */
export function unavailable(message: string, retryAfterSeconds: number, cause?: unknown): GraphQLError {
  const error = new GraphQLError(message, {
    extensions: {
      code: errorCodes.UNAVAILABLE,
      http: { status: 503, headers: { 'Retry-After': String(retryAfterSeconds) } },
    },
  });
  if (cause !== undefined) error.cause = cause;
  return error;
}

export function timedOut(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: errorCodes.TIMEOUT, http: { status: 504 } } });
}

export function queryRefused(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: errorCodes.GRAPHQL_VALIDATION_FAILED, http: { status: 400 } },
  });
}

export function internalError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: errorCodes.INTERNAL_SERVER_ERROR, http: { status: 500 } } });
}

/** 401: `challenge` is the `WWW-Authenticate` value (RFC 6750). */
export function unauthenticated(message: string, challenge: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: errorCodes.UNAUTHENTICATED,
      http: { status: 401, headers: { 'WWW-Authenticate': challenge } },
    },
  });
}

export function rateLimited(message: string, retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: errorCodes.RATE_LIMITED,
      http: { status: 429, headers: { 'Retry-After': String(retryAfterSeconds) } },
    },
  });
}

export function unsupportedMediaType(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: errorCodes.BAD_REQUEST, http: { status: 415 } } });
}
