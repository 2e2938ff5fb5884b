import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { type ExecutionResult, GraphQLError, print } from 'graphql';
import type { Plugin, YogaInitialContext } from 'graphql-yoga';
import { internalError } from '../errors.js';
import type { ContentEncoding } from '../executor/compression.js';
import type { RunningOperation, WorkerPool } from '../executor/pool.js';
import type { OperationTask } from '../executor/protocol.js';
import { createResponseStream } from '../executor/response-stream.js';
import type { Logger } from '../logger.js';
import { endSpanOnError, startSpan } from '../telemetry/tracing.js';
import { negotiateEncodings } from './accept-encoding.js';
import { costFiguresOf } from './cost-figures.js';
import { processorFor } from './deliver-body.js';
import { costOf } from './query-cost.js';
import { recordOf } from './request-record.js';
import { isFramed, type ResponseMediaType, responseMediaType } from './response-media-type.js';

export interface ExecuteInPoolOptions {
  logger: Logger;
  /** Pages of more clients are sent in slices of this many (`SLICE_SIZE`); 0: whole. */
  sliceSize: number;
}

/** What a request's stand-in result stands for: the worker's bytes, and how to send them. */
export interface Delivery {
  body: Uint8Array | Readable;
  mediaType: ResponseMediaType;
  /** The coding the worker applied ('identity' when none). */
  encoding: ContentEncoding | 'identity';
}

/**
 * Hands execution to the worker pool. The main thread keeps parsing, validation and the HTTP
 * side; it never sees the result object, only the worker's bytes, which it writes as they come
 * (slice by slice for a large page). Small operations (by the cost `useCostLimit` already
 * computed, registered before this plugin) go first in the pool's queue.
 */
export function useExecuteInPool(pool: WorkerPool, { logger, sliceSize }: ExecuteInPoolOptions): Plugin {
  const deliveries = new WeakMap<Request, Delivery>();
  return {
    onExecute({ setExecuteFn }) {
      setExecuteFn(async (args) => {
        const context = args.contextValue as YogaInitialContext & { res?: ServerResponse };
        const { params, request } = context;
        const mediaType = responseMediaType(request.headers.get('accept'));
        // No processor can answer: yoga sends 406 for any result, so nothing needs to run.
        if (!mediaType) return {};
        // Framed media types get their framing on this thread, around bytes that must stay plain.
        const encodings = isFramed(mediaType) ? {} : negotiateEncodings(request.headers.get('accept-encoding'));
        const record = recordOf(args.contextValue);
        const task: OperationTask = {
          kind: 'operation',
          query: params.query ?? print(args.document),
          variables: params.variables,
          operationName: params.operationName,
          requestId: record?.id,
          encoding: encodings.whole,
          streamEncoding: encodings.streamed,
          sliceSize: sliceSize || undefined,
          cost: costFiguresOf(args.contextValue),
        };
        const gone = callerGone(context.res);
        const cost = costOf(args.contextValue);
        const executing = startSpan('graphql.execute', record?.span, {
          'graphql.operation.type': record?.operationType,
          'graphql.operation.name': record?.operationName,
          'graphql.cost': cost,
        });
        let operation: RunningOperation;
        try {
          operation = await pool.start(task, { cost, signal: gone, trace: executing });
          executing?.end();
        } catch (error) {
          endSpanOnError(executing, error);
          if (error instanceof GraphQLError || gone.aborted) throw error;
          // The worker died under it (heap limit, uncaught error): only its operations are lost.
          logger.error({ err: error }, 'worker failed while running an operation');
          throw internalError('The operation failed: the worker running it stopped. Retry it.');
        }
        const { reply } = operation;
        if (record) {
          Object.assign(record, { waitMs: reply.waitMs, runMs: reply.timing.runMs, slices: 1 });
          record.firstByteMs = performance.now() - record.startedAt;
          record.edgesBy = reply.summary.madeBy;
          if (reply.stream) record.bytes = reply.body.byteLength;
        }
        // Ended with the request's span (observe-requests.ts), however the response ends.
        if (record) record.sendSpan = startSpan('http.send', record.span);
        const body = reply.stream
          ? untilGone(
              gone,
              createResponseStream(operation, task, {
                trace: record?.sendSpan,
                onSlice(slice) {
                  if (!record) return;
                  record.runMs = (record.runMs ?? 0) + slice.timing.runMs;
                  record.slices = (record.slices ?? 1) + 1;
                  record.bytes = (record.bytes ?? 0) + slice.body.byteLength;
                },
                onFailure(error) {
                  const code = error instanceof GraphQLError ? String(error.extensions.code) : 'INTERNAL_SERVER_ERROR';
                  if (record) record.cutShort = code;
                  logger.warn(
                    { requestId: record?.id, code, reason: String(error) },
                    'response cut short: a slice failed',
                  );
                  // No terminating chunk: no client can take the partial body for a complete one.
                  context.res?.destroy();
                },
              }),
            )
          : reply.body;
        deliveries.set(request, { body, mediaType, encoding: reply.summary.contentEncoding ?? 'identity' });
        return toYogaResult(reply.summary, body);
      });
    },
    onResultProcess({ request, setResultProcessor }) {
      const delivery = deliveries.get(request);
      if (delivery) setResultProcessor(processorFor(delivery), delivery.mediaType);
    },
    onResponse({ request, response }) {
      const delivery = deliveries.get(request);
      if (delivery === undefined || isFramed(delivery.mediaType)) return;
      response.headers.append('vary', 'Accept-Encoding');
      if (delivery.encoding !== 'identity') response.headers.set('content-encoding', delivery.encoding);
    },
  };
}

/** Aborts when the caller goes away before its response is complete (node's `close` before `finish`). */
function callerGone(response: ServerResponse | undefined): AbortSignal {
  const controller = new AbortController();
  response?.once('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  return controller.signal;
}

/**
 * Stops a response stream when its caller goes away, even before yoga starts writing it (yoga
 * writes nothing to a closed response, so it would never end the stream itself).
 */
function untilGone(gone: AbortSignal, stream: Readable): Readable {
  if (gone.aborted) stream.destroy();
  else gone.addEventListener('abort', () => stream.destroy(), { once: true });
  return stream;
}

/** yoga serialises a result with its own `stringify` when it has one (yoga's ExecutionResultWithSerializer). */
export type ResultWithSerializer = ExecutionResult & { stringify: (result: ExecutionResult) => string };

/**
 * A stand-in result that lets yoga pick the status and headers exactly as for a real one
 * (from `data` presence and the errors' extensions), while its serializer hands yoga the
 * worker's bytes (or the stream of them). yoga passes whatever `stringify` returns to the
 * Response unchanged: bytes are written without a copy, a stream is piped with backpressure.
 */
function toYogaResult(summary: OperationReplySummary, body: Uint8Array | Readable): ResultWithSerializer {
  const result: ResultWithSerializer = { stringify: () => body as unknown as string };
  if (summary.hasData) result.data = null;
  if (summary.errorExtensions.length > 0) {
    result.errors = summary.errorExtensions.map((extensions) => new GraphQLError('', { extensions }));
  }
  return result;
}

type OperationReplySummary = RunningOperation['reply']['summary'];
