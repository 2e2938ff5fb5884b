import type { Plugin } from 'graphql-yoga';
import { failSpan, startSpan } from '../telemetry/tracing.js';
import { recordOf } from './request-record.js';

/**
 * Traces parsing and validation (yoga's cached results included: those take no time) under the
 * request's span. Registered only while tracing is on; the query text is never recorded.
 */
export function useTracing(): Plugin {
  return {
    onParse({ context }) {
      const span = startSpan('graphql.parse', recordOf(context)?.span);
      if (!span) return;
      return ({ result }) => {
        if (result instanceof Error) failSpan(span, 'GRAPHQL_PARSE_FAILED');
        span.end();
      };
    },
    onValidate({ context }) {
      const span = startSpan('graphql.validate', recordOf(context)?.span);
      if (!span) return;
      return ({ valid }) => {
        if (!valid) failSpan(span, 'GRAPHQL_VALIDATION_FAILED');
        span.end();
      };
    },
  };
}
