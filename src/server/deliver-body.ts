import { Readable } from 'node:stream';
import { type Plugin, processRegularResult } from 'graphql-yoga';
import type { Delivery, ResultWithSerializer } from './execute-in-pool.js';

type FetchApi = Parameters<typeof processRegularResult>[1];
type ResultProcessor = Parameters<Parameters<NonNullable<Plugin['onResultProcess']>>[0]['setResultProcessor']>[0];

/**
 * How a worker's body goes out for the negotiated media type. JSON: yoga's own processor, with
 * the stand-in result's bytes or stream as the body. Server-sent events and multipart: the
 * framing yoga writes for a single result, around the same body, with the status and headers
 * yoga would give.
 */
export function processorFor(delivery: Delivery): ResultProcessor {
  const { body, mediaType } = delivery;
  if (mediaType === 'text/event-stream') {
    return (result, fetchAPI) =>
      framed(fetchAPI, result as ResultWithSerializer, 'application/json', sseHeaders, [
        ':\n\nevent: next\ndata: ',
        body,
        '\n\nevent: complete\ndata:\n\n',
      ]);
  }
  if (mediaType === 'multipart/mixed') {
    const length = body instanceof Uint8Array ? `Content-Length: ${body.byteLength}\r\n` : '';
    const part = `\r\n---\r\nContent-Type: application/json; charset=utf-8\r\n${length}\r\n`;
    return (result, fetchAPI) =>
      framed(fetchAPI, result as ResultWithSerializer, 'application/graphql-response+json', multipartHeaders, [
        part,
        body,
        '\r\n-----\r\n',
      ]);
  }
  return (result, fetchAPI) => processRegularResult(result, fetchAPI, mediaType) as Response;
}

// As yoga's SSE processor (single result) and multipart processor write them.
const sseHeaders = {
  'Content-Type': 'text/event-stream',
  Connection: 'keep-alive',
  'Cache-Control': 'no-cache',
  'Content-Encoding': 'none',
};
const multipartHeaders = {
  Connection: 'keep-alive',
  'Content-Type': 'multipart/mixed; boundary="-"',
  'Transfer-Encoding': 'chunked',
};

/** A response whose status and error headers are those yoga gives the result for `statusAs`. */
function framed(
  fetchAPI: FetchApi,
  result: ResultWithSerializer,
  statusAs: 'application/json' | 'application/graphql-response+json',
  headers: Record<string, string>,
  parts: (string | Uint8Array | Readable)[],
): Response {
  const regular = processRegularResult({ ...result, stringify: () => '' }, fetchAPI, statusAs) as Response;
  const responseHeaders = new fetchAPI.Headers(regular.headers);
  for (const [name, value] of Object.entries(headers)) responseHeaders.set(name, value);
  const body = Readable.from(concatenate(parts));
  // A body cut short ends its response itself (execute-in-pool); the pipe reading this has no error handler.
  body.on('error', () => {});
  return new fetchAPI.Response(body as unknown as BodyInit, {
    status: regular.status,
    headers: responseHeaders,
  });
}

async function* concatenate(parts: (string | Uint8Array | Readable)[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) {
    if (typeof part === 'string') yield Buffer.from(part);
    else if (part instanceof Uint8Array) yield part;
    else yield* part;
  }
}
