/**
 * The one contract between the main thread and the workers. Only small plain objects go
 * in, and only bytes come out: a structured clone of a large result object would block
 * the receiving thread as long as JSON.stringify does.
 *
 * A response is one task's reply, or, when it holds a page larger than a slice, the reply of
 * its first task (everything but the later slices' edges) followed by one reply per slice,
 * each already encoded (and compressed) as the next bytes of the body.
 */
import type { ClientKey } from '../data/data-source.js';
import type { DataSourceOptions } from '../data/open-data-source.js';
import type { PageSizes } from '../schema/context.js';
import type { EdgesMaker, SliceRange, StreamedEdges } from '../schema/slicing.js';
import type { TraceHeaders } from '../telemetry/tracing.js';
import type { TracingConfig } from '../telemetry/tracing-config.js';
import type { ContentEncoding } from './compression.js';
import type { CostFigures } from './cost-extension.js';
import type { CompileReport } from './execute-compiled.js';
import type { BodyCoding } from './stream-coding.js';

/** Fixed per worker, from the configuration (passed as piscina `workerData`). */
export interface WorkerSettings {
  databaseUrl: string;
  dataSource: DataSourceOptions;
  pageSizes: PageSizes;
  /** `LOG_LEVEL`: the worker logs unexpected errors (masked in responses) at error level, and the tracing SDK's warnings. */
  logLevel: string;
  /** `PLANNER`: the database writes the edges of `clients` pages the planner can plan. */
  planner: boolean;
  /** Each worker exports its own spans with these settings; absent: tracing off. */
  tracing?: TracingConfig;
}

/** What identifies an operation; every task of one operation repeats it. */
export interface OperationText {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
  /** The request's id (`x-request-id`), for the worker's log lines. */
  requestId?: string;
}

/** A task sent while its operation is traced: the worker's spans join the trace under the span that sent it. */
export interface TracedTask {
  trace?: TraceHeaders;
}

/** One GraphQL operation, already parsed and validated on the main thread. */
export interface OperationTask extends OperationText, TracedTask {
  kind: 'operation';
  /** The coding negotiated from Accept-Encoding; the worker compresses a body sent whole with it. */
  encoding?: ContentEncoding;
  /** The coding of a body sent in slices: gzip when the caller accepts it (brotli cannot be cut in parts). */
  streamEncoding?: 'gzip';
  /** Pages of more rows than this are sent in slices of this many rows; absent: every page whole. */
  sliceSize?: number;
  /** What the main thread knows of the cost; the worker adds `actual` and writes `extensions.cost`. */
  cost?: CostFigures;
}

/** The edges of one slice of a page the operation's first task left out, and what follows them. */
export interface SliceTask extends OperationText, TracedTask {
  kind: 'slice';
  stream: Pick<StreamedEdges, 'rootKey' | 'edgesKey'>;
  range: SliceRange;
  /** Edges were written before this slice in the same list, so a comma goes first. */
  afterEdges: boolean;
  /** The slice is its stream's last; an open slice (see `OpenRange`) also ends it when it comes back short. */
  endsStream: boolean;
  /** The body's text that follows the stream's last slice. */
  followedBy: string;
  /** The stream is the body's last: its end closes the coding. */
  lastStream: boolean;
  coding: BodyCoding;
  /** The objects the response held before this slice: the last slice writes the total into `extensions.cost.actual`. */
  objectsBefore: number;
}

/** Sent once to each worker before the server is ready: opens the database, loads the schema. */
export interface WarmUpTask {
  kind: 'warm-up';
}

/** Sent to every worker when the pool closes: exports the spans the worker still holds. */
export interface FlushTask {
  kind: 'flush';
}

export type Task = OperationTask | SliceTask | WarmUpTask | FlushTask;

/** What the main thread needs to pick the HTTP status as yoga would, without the body. */
export interface ResultSummary {
  hasData: boolean;
  /** The distinct `extensions` of the result's errors (after masking). */
  errorExtensions: Record<string, unknown>[];
  /** Set when the body is compressed (bodies under 1 KB sent whole never are). */
  contentEncoding?: ContentEncoding;
  /** How the operation's `clients` pages got their edges (absent: it has none). */
  madeBy?: EdgesMaker | 'both';
}

/**
 * The worker's own clock for one task: when it picked it up (epoch ms as
 * `performance.timeOrigin + performance.now()`, comparable across threads) and how long it ran.
 */
export interface WorkerTiming {
  startedAt: number;
  runMs: number;
  /** The task's graphql-jit compilations (see execute-compiled.ts). */
  compiles?: CompileReport[];
}

/** A stream of edges still to come, and the `afterEdges` of its first slice. */
export interface PendingEdges extends StreamedEdges {
  afterEdges: boolean;
}

/** The rest of a response whose first task's body is only its beginning. */
export interface StreamPlan {
  /** In the order they appear in the body. */
  streams: PendingEdges[];
  /** `texts[i]` follows the edges of `streams[i]`. */
  texts: string[];
  /** The coding state after the first part. */
  coding: BodyCoding;
  /** The Client, Account and Address objects in the first part (see returned-objects.ts). */
  objects: number;
}

export interface OperationReply {
  summary: ResultSummary;
  timing: WorkerTiming;
  /** Present when the body is only the response's beginning. */
  stream?: StreamPlan;
  /** The encoded response body (or its first part), a view into the transferred buffer. */
  body: Uint8Array;
}

export interface SliceReply {
  timing: WorkerTiming;
  /** Edges written (0 when every row of the range is gone). */
  rows: number;
  /** The slice ended its stream: the text after the stream followed its edges. */
  ended: boolean;
  /** The key of the slice's last row: where an open slice after it starts. */
  lastKey?: ClientKey;
  /** The Client, Account and Address objects in those edges. */
  objects: number;
  coding: BodyCoding;
  /** Set when the slice could not be produced: the error codes (the worker logged the errors). */
  failed?: string[];
  body: Uint8Array;
}

/** Milliseconds since the epoch with sub-millisecond precision, comparable between threads. */
export const epochNow = () => performance.timeOrigin + performance.now();

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Lays out `[header length: u32][header JSON][body]` in one buffer, so it can be transferred
 * (not copied) as the task's return value; a string body is encoded straight into it.
 */
export function packReply(header: object, body: string | Uint8Array): Uint8Array {
  const headerBytes = encoder.encode(JSON.stringify(header));
  const bodyLength = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  const bytes = new Uint8Array(4 + headerBytes.byteLength + bodyLength);
  new DataView(bytes.buffer).setUint32(0, headerBytes.byteLength);
  bytes.set(headerBytes, 4);
  if (typeof body === 'string') encoder.encodeInto(body, bytes.subarray(4 + headerBytes.byteLength));
  else bytes.set(body, 4 + headerBytes.byteLength);
  return bytes;
}

export function unpackReply<Header extends object>(bytes: Uint8Array): Header & { body: Uint8Array } {
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0);
  const header = JSON.parse(decoder.decode(bytes.subarray(4, 4 + headerLength))) as Header;
  return { ...header, body: bytes.subarray(4 + headerLength) };
}
