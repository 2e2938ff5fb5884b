import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import type { RequestMetrics } from '../metrics/request-metrics.js';
import { endRequestSpans, startRequestSpan } from '../telemetry/request-spans.js';
import { traceIdOf } from '../telemetry/tracing.js';
import { isProbePath } from './health.js';
import { metricsPath } from './metrics-route.js';
import { attachRecord, type RequestRecord } from './request-record.js';

// What we accept as a caller's request id: enough for UUIDs and trace ids, nothing that could forge a log line.
const usableRequestId = /^[\w.:@/+=-]{1,128}$/;

/**
 * Wraps the listener: every request gets an id (`x-request-id`, echoed in the response) and, when
 * its response ends, one JSON log line; GraphQL requests also feed the metrics. Probes and scrapes
 * log at debug level (they come every few seconds). Query text and variables are never logged:
 * they can hold personal data.
 */
export function observeRequests(logger: Logger, metrics: RequestMetrics, listener: RequestListener): RequestListener {
  return (request, response) => {
    const started = performance.now();
    const record: RequestRecord = { id: requestId(request), graphql: false, errorCodes: [], startedAt: started };
    attachRecord(request, record);
    response.setHeader('x-request-id', record.id);
    const path = request.url?.split('?', 1)[0] ?? '';
    // Probes and scrapes come every few seconds and say nothing of any caller's request.
    const routine = isProbePath(path) || path === metricsPath;
    if (!routine) record.span = startRequestSpan(request, path, record.id);
    response.once('close', () => {
      const durationMs = performance.now() - started;
      const bytes = record.bytes ?? bodyBytes(response);
      endRequestSpans({ request: record.span, sending: record.sendSpan }, response, bytes, record.cutShort);
      const line = {
        requestId: record.id,
        traceId: traceIdOf(record.span),
        method: request.method,
        path,
        status: response.statusCode,
        durationMs: roundMs(durationMs),
        bytes,
        ...(response.writableFinished ? {} : { aborted: true }),
        ...(record.graphql && {
          operationType: record.operationType ?? 'none',
          operationName: record.operationName,
          subject: record.subject,
          cost: record.cost,
          errorCodes: record.errorCodes.length > 0 ? record.errorCodes : undefined,
          waitMs: roundMs(record.waitMs),
          runMs: roundMs(record.runMs),
          firstByteMs: roundMs(record.firstByteMs),
          slices: record.slices,
          edgesBy: record.edgesBy,
          cutShort: record.cutShort,
        }),
      };
      if (routine) logger.debug(line, 'request');
      else logger.info(line, 'request');
      if (record.graphql)
        metrics.observe({
          ...record,
          operationType: line.operationType ?? 'none',
          durationMs,
          bytes,
          aborted: !response.writableFinished,
        });
    });
    listener(request, response);
  };
}

function requestId(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && usableRequestId.test(given) ? given : randomUUID();
}

function bodyBytes(response: ServerResponse): number {
  const length = Number(response.getHeader('content-length'));
  return Number.isFinite(length) ? length : 0;
}

const roundMs = (ms: number | undefined) => (ms === undefined ? undefined : Math.round(ms * 10) / 10);
