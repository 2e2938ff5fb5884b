import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Cleanup } from './cleanup.js';
import { decodeTraceRequest } from './otlp-protobuf.js';

/** One span as received, in the same shape whichever encoding carried it. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  name: string;
  /** OTLP's SpanKind: 1 internal, 2 server. */
  kind: number;
  startNs: bigint;
  endNs: bigint;
  attributes: Record<string, unknown>;
  /** OTLP's StatusCode: 0 unset, 2 error. */
  status: { code: number; message?: string };
  resource: Record<string, unknown>;
}

/** One export request as received. */
export interface ReceivedExport {
  path: string;
  contentType: string;
  headers: Record<string, string | string[] | undefined>;
  /** The bytes as sent, to search for what must never be exported. */
  body: Buffer;
}

export interface OtlpReceiver {
  /** The base URL, as `OTEL_EXPORTER_OTLP_ENDPOINT` takes it. */
  url: string;
  exports: ReceivedExport[];
  /** Every span received so far, decoded from JSON or protobuf by the request's content type. */
  spans(): ReceivedSpan[];
}

/**
 * An OTLP/HTTP trace receiver on port 0, as a collector would be: it accepts `POST /v1/traces`
 * in `application/json` or `application/x-protobuf` and answers an empty success of the same type.
 */
export async function startOtlpReceiver(t: Cleanup): Promise<OtlpReceiver> {
  const exports: ReceivedExport[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const contentType = request.headers['content-type'] ?? '';
      exports.push({ path: request.url ?? '', contentType, headers: request.headers, body: Buffer.concat(chunks) });
      response.writeHead(200, { 'content-type': contentType });
      response.end(contentType === 'application/json' ? '{}' : '');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => new Promise((resolve) => server.close(resolve)));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exports,
    spans: () => exports.flatMap(decode),
  };
}

function decode(received: ReceivedExport): ReceivedSpan[] {
  if (received.contentType === 'application/x-protobuf') return decodeTraceRequest(received.body);
  if (received.contentType !== 'application/json') throw new Error(`unexpected content type ${received.contentType}`);
  return fromJson(JSON.parse(received.body.toString('utf8')));
}

interface JsonKeyValue {
  key: string;
  value: Record<string, unknown>;
}

/** OTLP/JSON: ids in hex, 64-bit integers as strings or numbers, enums as numbers. */
function fromJson(request: {
  resourceSpans: { resource: { attributes: JsonKeyValue[] }; scopeSpans: { spans: Record<string, unknown>[] }[] }[];
}): ReceivedSpan[] {
  return request.resourceSpans.flatMap(({ resource, scopeSpans }) =>
    scopeSpans.flatMap(({ spans }) =>
      spans.map((span) => ({
        traceId: String(span.traceId),
        spanId: String(span.spanId),
        parentSpanId: String(span.parentSpanId ?? ''),
        name: String(span.name),
        kind: Number(span.kind),
        startNs: BigInt(span.startTimeUnixNano as string),
        endNs: BigInt(span.endTimeUnixNano as string),
        attributes: jsonAttributes(span.attributes as JsonKeyValue[]),
        status: span.status as ReceivedSpan['status'],
        resource: jsonAttributes(resource.attributes),
      })),
    ),
  );
}

function jsonAttributes(attributes: JsonKeyValue[] = []): Record<string, unknown> {
  return Object.fromEntries(
    attributes.map(({ key, value }) => {
      if ('intValue' in value) return [key, Number(value.intValue)];
      return [key, value.stringValue ?? value.boolValue ?? value.doubleValue];
    }),
  );
}

/** The spans of one trace, by id, with helpers to walk its tree. */
export function traceTree(spans: ReceivedSpan[], traceId: string) {
  const ofTrace = spans.filter((span) => span.traceId === traceId);
  const byId = new Map(ofTrace.map((span) => [span.spanId, span]));
  return {
    spans: ofTrace,
    children: (parent: ReceivedSpan, name?: string) =>
      ofTrace.filter((span) => span.parentSpanId === parent.spanId && (name === undefined || span.name === name)),
    parentOf: (span: ReceivedSpan) => byId.get(span.parentSpanId),
  };
}
