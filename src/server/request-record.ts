import type { IncomingMessage } from 'node:http';
import type { Span } from '../telemetry/tracing.js';

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
  /** Time waiting for a worker and running in it, every slice included (worker mode only). */
  waitMs?: number;
  runMs?: number;
  /** When the request arrived (`performance.now()`). */
  startedAt: number;
  /** When the first bytes of the body were ready to send, after `startedAt` (worker mode only). */
  firstByteMs?: number;
  /** Tasks the response took: 1, or 1 plus the slices of a page sent in slices. */
  slices?: number;
  /** Body bytes handed to the connection when the body was sent in slices (else its Content-Length counts). */
  bytes?: number;
  /** Why a body sent in slices was cut short (the error code of the slice that failed). */
  cutShort?: string;
  /** How the operation's `clients` pages got their edges: written by the database (`sql`), executed, or both. */
  edgesBy?: 'sql' | 'executor' | 'both';
  /** The caller's token subject (`AUTH=jwt`). */
  subject?: string;
  /** The operation's requested cost, once it was admitted to run (spent from the caller's budget, if any). */
  cost?: number;
  /** Why the operation was refused before it ran, for the rejection metric. */
  rejected?: RejectionReason;
  /** The request's server span, while tracing is on: the parent of the GraphQL and sending spans. */
  span?: Span;
  /** The span of sending the body (all its slices), ended with the request's. */
  sendSpan?: Span;
}

/** The refusals counted by `graphql_operations_rejected_total`. */
export type RejectionReason = 'UNAUTHENTICATED' | 'RATE_LIMITED' | 'COST_LIMIT';

const records = new WeakMap<IncomingMessage, RequestRecord>();

export function attachRecord(request: IncomingMessage, record: RequestRecord): void {
  records.set(request, record);
}

/** The record of the request behind a yoga context or server context (both hold node's `req`). */
export function recordOf(context: unknown): RequestRecord | undefined {
  const request = (context as { req?: IncomingMessage } | undefined)?.req;
  return request ? records.get(request) : undefined;
}

/** Notes on the request's record (if it has one) why its operation was refused. */
export function markRejected(context: unknown, reason: RejectionReason): void {
  const record = recordOf(context);
  if (record) record.rejected = reason;
}

/** Notes on the request's record (if it has one) the requested cost of the operation admitted to run. */
export function noteRequestedCost(context: unknown, cost: number): void {
  const record = recordOf(context);
  if (record) record.cost = cost;
}
