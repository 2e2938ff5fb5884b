import { type DocumentNode, GraphQLError, getOperationAST } from 'graphql';
import type { Logger } from '../logger.js';

let logger: Logger | undefined;

/** Where `logUnexpectedErrors` writes; the worker sets it once at start. Unset, nothing is logged. */
export function setErrorLogger(target: Logger): void {
  logger = target;
}

/**
 * The error yoga's masking hides behind "Unexpected error.": the first cause that is not a
 * GraphQLError (the service's own GraphQLErrors are expected and shown as they are).
 */
function maskedCause(error: GraphQLError): unknown {
  let cause: unknown = error;
  while (cause instanceof GraphQLError) {
    if (cause.originalError == null) return undefined;
    cause = cause.originalError;
  }
  return cause;
}

/**
 * Logs at error level every original error that masking will hide from the caller: its
 * message and stack, with the operation's name, the request's id and how many fields it failed. One line per
 * error, however many fields it failed (a failed DataLoader batch fails each of its keys with
 * the same error). Never the variables or the query text (nor the paths, which hold the
 * caller's aliases): they can hold personal data.
 */
export function logUnexpectedErrors(
  errors: readonly GraphQLError[] | undefined,
  document: DocumentNode,
  { operationName, requestId }: { operationName?: string | null; requestId?: string },
): void {
  if (!logger || !errors) return;
  const failedFields = new Map<unknown, number>();
  for (const error of errors) {
    const cause = maskedCause(error);
    if (cause !== undefined) failedFields.set(cause, (failedFields.get(cause) ?? 0) + 1);
  }
  const operation = getOperationAST(document, operationName)?.name?.value;
  for (const [cause, count] of failedFields) {
    const err =
      cause instanceof Error
        ? { type: cause.name, message: cause.message, stack: cause.stack, code: (cause as { code?: unknown }).code }
        : { type: typeof cause, message: String(cause) };
    logger.error(
      { err, operationName: operation, requestId, failedFields: count },
      'unexpected error in an operation (masked in the response)',
    );
  }
}
