import { type ExecutionResult, GraphQLError, print } from 'graphql';
import type { Plugin, YogaInitialContext } from 'graphql-yoga';
import { internalError } from '../errors.js';
import type { ContentEncoding } from '../executor/compression.js';
import type { WorkerPool } from '../executor/pool.js';
import type { OperationReply } from '../executor/protocol.js';
import type { Logger } from '../logger.js';
import { negotiateEncoding } from './accept-encoding.js';
import { costOf } from './query-cost.js';
import { recordOf } from './request-record.js';

/**
 * Hands execution to the worker pool. The main thread keeps parsing, validation and the
 * HTTP side; it never sees the result object, only the worker's bytes. The lane is picked by
 * the cost `useCostLimit` already computed (registered before this plugin, so it ran first).
 */
export function useExecuteInPool(pool: WorkerPool, logger: Logger): Plugin {
  // The coding the worker compressed each request's body with ('identity' when it did not).
  const encodings = new WeakMap<Request, ContentEncoding | 'identity'>();
  return {
    onExecute({ setExecuteFn }) {
      setExecuteFn(async (args) => {
        const { params, request } = args.contextValue as YogaInitialContext;
        const task = {
          kind: 'operation' as const,
          query: params.query ?? print(args.document),
          variables: params.variables,
          operationName: params.operationName,
          encoding: negotiateEncoding(request.headers.get('accept-encoding')),
        };
        const cost = costOf(args.contextValue);
        try {
          // The request's signal aborts when the client disconnects: its work is dropped.
          const reply = await pool.run(task, { cost, signal: request.signal });
          const record = recordOf(args.contextValue);
          if (record) Object.assign(record, { waitMs: reply.waitMs, runMs: reply.timing.runMs });
          encodings.set(request, reply.summary.contentEncoding ?? 'identity');
          return toYogaResult(reply);
        } catch (error) {
          if (error instanceof GraphQLError || request.signal.aborted) throw error;
          // The worker died under it (heap limit, uncaught error): only its operations are lost.
          logger.error({ err: error }, 'worker failed while running an operation');
          throw internalError('The operation failed: the worker running it stopped. Retry it.');
        }
      });
    },
    onResponse({ request, response }) {
      const encoding = encodings.get(request);
      if (encoding === undefined) return;
      response.headers.append('vary', 'Accept-Encoding');
      if (encoding !== 'identity') response.headers.set('content-encoding', encoding);
    },
  };
}

/** yoga serialises a result with its own `stringify` when it has one (yoga's ExecutionResultWithSerializer). */
type ResultWithSerializer = ExecutionResult & { stringify: (result: ExecutionResult) => string };

/**
 * A stand-in result that lets yoga pick the status and headers exactly as for a real one
 * (from `data` presence and the errors' extensions), while its serializer hands yoga the
 * worker's bytes. yoga passes whatever `stringify` returns to the Response unchanged, and
 * a Uint8Array body is written to the socket without a copy.
 */
function toYogaResult({ summary, body }: OperationReply): ResultWithSerializer {
  const result: ResultWithSerializer = {
    stringify: () => body as unknown as string,
  };
  if (summary.hasData) result.data = null;
  if (summary.errorExtensions.length > 0) {
    result.errors = summary.errorExtensions.map((extensions) => new GraphQLError('', { extensions }));
  }
  return result;
}
