/**
 * The one contract between the main thread and the workers. Only small plain objects go
 * in, and only bytes come out: a structured clone of a large result object would block
 * the receiving thread as long as JSON.stringify does.
 */
import type { DataSourceOptions } from '../data/open-data-source.js';
import type { PageSizes } from '../schema/context.js';
import type { ContentEncoding } from './compression.js';

/** Fixed per worker, from the configuration (passed as piscina `workerData`). */
export interface WorkerSettings {
  databaseUrl: string;
  dataSource: DataSourceOptions;
  pageSizes: PageSizes;
}

/** One GraphQL operation, already parsed and validated on the main thread. */
export interface OperationTask {
  kind: 'operation';
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
  /** The coding negotiated from Accept-Encoding; the worker compresses the body with it. */
  encoding?: ContentEncoding;
}

/** Sent once to each worker before the server is ready: opens the database, loads the schema. */
export interface WarmUpTask {
  kind: 'warm-up';
}

export type Task = OperationTask | WarmUpTask;

/** What the main thread needs to pick the HTTP status as yoga would, without the body. */
export interface ResultSummary {
  hasData: boolean;
  /** The distinct `extensions` of the result's errors (after masking). */
  errorExtensions: Record<string, unknown>[];
  /** Set when the body is compressed (bodies under 1 KB never are). */
  contentEncoding?: ContentEncoding;
}

/**
 * The worker's own clock for one operation: when it picked it up (epoch ms as
 * `performance.timeOrigin + performance.now()`, comparable across threads) and how long it ran.
 */
export interface WorkerTiming {
  startedAt: number;
  runMs: number;
}

export interface OperationReply {
  summary: ResultSummary;
  timing: WorkerTiming;
  /** The encoded response body, a view into the transferred buffer. */
  body: Uint8Array;
}

/** Milliseconds since the epoch with sub-millisecond precision, comparable between threads. */
export const epochNow = () => performance.timeOrigin + performance.now();

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Lays out `[header length: u32][summary and timing JSON][body UTF-8]` in one buffer, encoding the
 * body straight into it, so it can be transferred (not copied) as the task's return value.
 */
export function packReply(summary: ResultSummary, timing: WorkerTiming, body: string | Uint8Array): Uint8Array {
  const header = encoder.encode(JSON.stringify({ summary, timing }));
  const bodyLength = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  const bytes = new Uint8Array(4 + header.byteLength + bodyLength);
  new DataView(bytes.buffer).setUint32(0, header.byteLength);
  bytes.set(header, 4);
  if (typeof body === 'string') encoder.encodeInto(body, bytes.subarray(4 + header.byteLength));
  else bytes.set(body, 4 + header.byteLength);
  return bytes;
}

export function unpackReply(bytes: Uint8Array): OperationReply {
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0);
  const { summary, timing } = JSON.parse(decoder.decode(bytes.subarray(4, 4 + headerLength))) as Omit<
    OperationReply,
    'body'
  >;
  return { summary, timing, body: bytes.subarray(4 + headerLength) };
}
