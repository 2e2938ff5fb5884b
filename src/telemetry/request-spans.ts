import type { IncomingMessage, ServerResponse } from 'node:http';
import { failSpan, isTracing, type Span, startServerSpan, type TraceHeaders } from './tracing.js';

const graphqlRoute = '/graphql';

/**
 * Starts the server span of an HTTP request, continuing the caller's trace when it sent a
 * `traceparent`. Named and described as OpenTelemetry's HTTP conventions say, without the query
 * string, the client's address or any header but the trace context (they can identify people).
 */
export function startRequestSpan(request: IncomingMessage, path: string, requestId: string): Span | undefined {
  if (!isTracing()) return undefined;
  const route = path === graphqlRoute ? graphqlRoute : undefined;
  return startServerSpan(route ? `${request.method} ${route}` : `${request.method}`, callerTrace(request), {
    'http.request.method': request.method,
    'url.path': path,
    'url.scheme': 'http',
    'http.route': route,
    'network.protocol.version': request.httpVersion,
    'request.id': requestId,
  });
}

/**
 * Ends a request's spans when its response is over. Sending first: `complete`, `aborted` (the
 * caller went away: not a failure of ours) or `cut_short` (a body sent in slices whose slice failed
 * or whose deadline passed: failed, with that code). Then the request: a 5xx status marks it failed,
 * as the HTTP conventions say, and so does a body cut short.
 */
export function endRequestSpans(
  spans: { request?: Span; sending?: Span },
  response: ServerResponse,
  bytes: number,
  cutShort?: string,
): void {
  const { request, sending } = spans;
  if (sending) {
    const outcome = cutShort ? 'cut_short' : response.writableFinished ? 'complete' : 'aborted';
    sending.setAttributes({ 'response.outcome': outcome, 'http.response.body.size': bytes });
    if (cutShort) failSpan(sending, cutShort);
    sending.end();
  }
  if (request) {
    request.setAttribute('http.response.status_code', response.statusCode);
    if (response.statusCode >= 500 || cutShort) failSpan(request, cutShort ?? String(response.statusCode));
    request.end();
  }
}

function callerTrace(request: IncomingMessage): TraceHeaders {
  const { traceparent, tracestate } = request.headers;
  return {
    traceparent: typeof traceparent === 'string' ? traceparent : undefined,
    tracestate: typeof tracestate === 'string' ? tracestate : undefined,
  };
}
