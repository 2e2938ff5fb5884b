import type { IncomingMessage } from 'node:http';

/** What is learnt about one request while it is handled, for its log line and the metrics. */
export interface RequestRecord {
  /** From `x-request-id` when the caller sent a usable one, generated otherwise; echoed in the response. */
  id: string;
  /** Set once yoga treats the request as a GraphQL request (GraphiQL pages and probes are not). */
  graphql: boolean;
  /** `query`, `mutation` or `subscription` once the operation is executed. */
  operationType?: string;
  operationName?: string;
  /** The distinct `extensions.code` values of the response's errors. */
  errorCodes: string[];
  /** Time waiting for a worker and running in it (worker mode only). */
  waitMs?: number;
  runMs?: number;
}

const records = new WeakMap<IncomingMessage, RequestRecord>();

export function attachRecord(request: IncomingMessage, record: RequestRecord): void {
  records.set(request, record);
}

/** The record of the request behind a yoga context or server context (both hold node's `req`). */
export function recordOf(context: unknown): RequestRecord | undefined {
  const request = (context as { req?: IncomingMessage } | undefined)?.req;
  return request ? records.get(request) : undefined;
}
