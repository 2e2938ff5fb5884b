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
  const knownNames = new Set<string>();
  const boundedName = (name: string | undefined) => {
    if (!name || name.length > maxNameLength) return otherOperationName;
    if (knownNames.has(name)) return name;
    if (knownNames.size >= maxOperationNames) return otherOperationName;
    knownNames.add(name);
    return name;
  };
  return {
    observe({ operationType, operationName, errorCodes, durationMs, bytes }) {
      requests.inc({ operation_type: operationType, operation_name: boundedName(operationName) });
      for (const code of errorCodes) errors.inc({ code });
      duration.observe({ operation_type: operationType }, durationMs / 1000);
      size.observe({ operation_type: operationType }, bytes);
    },
  };
}
