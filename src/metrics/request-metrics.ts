import { Counter, Histogram, type Registry } from 'prom-client';
import { secondsBuckets } from './pool-metrics.js';

/** What one GraphQL request came to, as the request log and the metrics see it. */
export interface GraphQLRequestOutcome {
  /** `query`, `mutation`, `subscription`, or `none` when no operation was executed (syntax or validation error). */
  operationType: string;
  operationName?: string;
  /** The distinct `extensions.code` values of the response's errors. */
  errorCodes: string[];
  durationMs: number;
  bytes: number;
  /** Time until the body's first bytes were ready (worker mode). */
  firstByteMs?: number;
  /** Tasks the response took (1 + its slices). */
  slices?: number;
  /** The caller went away before the response was complete. */
  aborted: boolean;
  /** Set when a body sent in slices was cut short. */
  cutShort?: string;
  /** Why the operation was refused before it ran: `UNAUTHENTICATED`, `RATE_LIMITED` or `COST_LIMIT`. */
  rejected?: string;
  /** The requested cost of the operation admitted to run (spent from its caller's budget, if any). */
  cost?: number;
  /** How the operation's `clients` pages got their edges, when it had any. */
  edgesBy?: string;
}

export interface RequestMetrics {
  observe(outcome: GraphQLRequestOutcome): void;
}

/** The label for anonymous operations, and for names past the limit below. */
export const otherOperationName = '_other';
/** Distinct operation names that get their own label; clients choose names, so the series must stay bounded. */
export const maxOperationNames = 100;
const maxNameLength = 64;

// 256 B (an error) to 256 MB (an export with every field), by fours.
const sizeBuckets = Array.from({ length: 11 }, (_, i) => 256 * 4 ** i);

export function createRequestMetrics(registers: Registry[]): RequestMetrics {
  const requests = new Counter({
    name: 'graphql_requests_total',
    help: `GraphQL requests by operation type and name (anonymous names, and names past the first ${maxOperationNames}, are "${otherOperationName}").`,
    labelNames: ['operation_type', 'operation_name'],
    registers,
  });
  const errors = new Counter({
    name: 'graphql_errors_total',
    help: 'GraphQL responses holding at least one error with this extensions.code.',
    labelNames: ['code'],
    registers,
  });
  const duration = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'Time from receiving a GraphQL request to the last byte of its response.',
    labelNames: ['operation_type'],
    buckets: secondsBuckets,
    registers,
  });
  const size = new Histogram({
    name: 'graphql_response_size_bytes',
    help: 'Size of GraphQL response bodies as sent (compressed when the caller accepts it).',
    labelNames: ['operation_type'],
    buckets: sizeBuckets,
    registers,
  });
  const firstByte = new Histogram({
    name: 'graphql_response_first_byte_seconds',
    help: 'Time from receiving a GraphQL request to its first body bytes being ready to send (worker mode).',
    labelNames: ['operation_type'],
    buckets: secondsBuckets,
    registers,
  });
  const slices = new Counter({
    name: 'graphql_response_slices_total',
    help: 'Slices of large pages executed and sent after the first part of their response.',
    registers,
  });
  const aborted = new Counter({
    name: 'graphql_requests_aborted_total',
    help: 'GraphQL requests whose caller went away before the response was complete.',
    registers,
  });
  const cutShort = new Counter({
    name: 'graphql_responses_cut_short_total',
    help: 'Responses sent in slices that ended abnormally because a slice failed, by the error code of that slice.',
    labelNames: ['code'],
    registers,
  });
  const rejected = new Counter({
    name: 'graphql_operations_rejected_total',
    help: 'Operations refused before they ran, by reason: UNAUTHENTICATED (401), RATE_LIMITED (429), COST_LIMIT (MAX_COST).',
    labelNames: ['reason'],
    registers,
  });
  const costSpent = new Counter({
    name: 'graphql_cost_spent_total',
    help: `Requested cost of the operations admitted to run (spent from their callers' budgets), by operation name (bounded as for graphql_requests_total).`,
    labelNames: ['operation_name'],
    registers,
  });
  const edgesBy = new Counter({
    name: 'graphql_operations_by_edges_maker_total',
    help: 'Operations with clients pages, by how their edges were made: written as JSON by the database (sql, the planner), executed (executor), or both.',
    labelNames: ['made_by'],
    registers,
  });
  const knownNames = new Set<string>();
  const boundedName = (name: string | undefined) => {
    if (!name || name.length > maxNameLength) return otherOperationName;
    if (knownNames.has(name)) return name;
    if (knownNames.size >= maxOperationNames) return otherOperationName;
    knownNames.add(name);
    return name;
  };
  return {
    observe(outcome) {
      const { operationType, operationName, errorCodes, durationMs, bytes } = outcome;
      const name = boundedName(operationName);
      requests.inc({ operation_type: operationType, operation_name: name });
      if (outcome.rejected) rejected.inc({ reason: outcome.rejected });
      else if (outcome.cost !== undefined) costSpent.inc({ operation_name: name }, outcome.cost);
      for (const code of errorCodes) errors.inc({ code });
      duration.observe({ operation_type: operationType }, durationMs / 1000);
      size.observe({ operation_type: operationType }, bytes);
      if (outcome.firstByteMs !== undefined)
        firstByte.observe({ operation_type: operationType }, outcome.firstByteMs / 1000);
      if (outcome.slices && outcome.slices > 1) slices.inc(outcome.slices - 1);
      if (outcome.aborted) aborted.inc();
      if (outcome.cutShort) cutShort.inc({ code: outcome.cutShort });
      if (outcome.edgesBy) edgesBy.inc({ made_by: outcome.edgesBy });
    },
  };
}
