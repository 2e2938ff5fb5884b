/**
 * Tracing as the rest of the code sees it: a few span helpers that do nothing while tracing is
 * off. The OpenTelemetry SDK (`sdk.ts`) is imported only by `startTracing` with a configuration,
 * so with no endpoint set no OpenTelemetry code is even loaded.
 *
 * Each thread has its own tracer: the main thread starts the request's spans, and every worker
 * exports the spans of the tasks it runs itself (its serialisation and network work stays off the
 * main thread). A task carries the `traceparent` of the span that sent it, so the worker's spans
 * join the request's trace under it.
 */
import type { Attributes, Span } from '@opentelemetry/api';
import type { ThreadTracer, TraceHeaders, WarningSink } from './sdk.js';
import type { TracingConfig } from './tracing-config.js';

export type { Span, TraceHeaders };

/** The tracer of this thread, while tracing runs. */
let tracer: ThreadTracer | undefined;

/** Tracing of this thread, as started: flush and stop it with what uses it (the service, a worker). */
export interface Tracing {
  /** Exports the spans ended so far; at most the export timeout (`OTEL_EXPORTER_OTLP_TIMEOUT`). */
  flush(): Promise<void>;
  /** Stops starting spans, then exports what is left, within the same bound. */
  stop(): Promise<void>;
}

const off: Tracing = { flush: async () => {}, stop: async () => {} };

/** Starts this thread's tracer when `config` is given (tracing is on); otherwise loads nothing. */
export async function startTracing(config: TracingConfig | undefined, onWarning: WarningSink): Promise<Tracing> {
  if (!config) return off;
  const { createThreadTracer } = await import('./sdk.js');
  const started = await createThreadTracer(config, onWarning);
  tracer = started;
  // A collector that does not answer must not hold up a shutdown beyond the export timeout.
  const bounded = async (work: Promise<void>) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, config.timeoutMs);
    });
    await Promise.race([work.catch(() => {}), timeout]);
    clearTimeout(timer);
  };
  return {
    flush: () => bounded(started.flush()),
    async stop() {
      if (tracer === started) tracer = undefined;
      await bounded(started.shutdown());
    },
  };
}

/** Whether this thread traces. */
export const isTracing = (): boolean => tracer !== undefined;

/** Starts the span of a request received, continuing the caller's trace when its headers carry one. */
export function startServerSpan(name: string, caller: TraceHeaders, attributes: Attributes): Span | undefined {
  return tracer?.start(name, caller, attributes, 'server');
}

/**
 * Starts a span under `parent`, or nothing when there is no parent (tracing is off, or the work is
 * not a request's, like the warm-up) or `parent` is not being recorded (not sampled).
 */
export function startSpan(name: string, parent: Span | undefined, attributes?: Attributes): Span | undefined {
  if (!tracer || !parent?.isRecording()) return undefined;
  return tracer.start(name, parent, attributes);
}

/** Ends a span at a given time (epoch ms, as `epochNow` of any thread measures it). */
export function endSpanAt(span: Span | undefined, epochMs: number): void {
  span?.end(epochMs);
}

/** Marks a span failed, with a short reason: an error code, never data. */
export function failSpan(span: Span | undefined, reason: string): void {
  if (span && tracer) tracer.fail(span, reason);
}

/**
 * Ends a span whose work did not complete: a caller that went away (an `AbortError`) is only
 * noted, anything else marks the span failed with the error's code.
 */
export function endSpanOnError(span: Span | undefined, error: unknown): void {
  if (!span?.isRecording()) return;
  if ((error as Error | undefined)?.name === 'AbortError') span.setAttribute('aborted', true);
  else failSpan(span, errorCode(error));
  span.end();
}

/** An error's `extensions.code` (a GraphQL error), else `code` (a driver's), else its class name. */
function errorCode(error: unknown): string {
  const { extensions, code, name } = (error ?? {}) as {
    extensions?: { code?: unknown };
    code?: unknown;
    name?: unknown;
  };
  return String(extensions?.code ?? code ?? name ?? 'ERROR');
}

/** Runs synchronous work in a span under `parent` (no span when there is none). */
export function inSpan<T>(name: string, parent: Span | undefined, work: () => T): T {
  const span = startSpan(name, parent);
  if (!span) return work();
  try {
    return work();
  } finally {
    span.end();
  }
}

/** The trace context to send with a task, so the worker's spans join the trace under `span`. */
export function traceHeadersOf(span: Span | undefined): TraceHeaders | undefined {
  return span && tracer?.headersOf(span);
}

/** The trace id to write in the request's log line, when the request is traced. */
export const traceIdOf = (span: Span | undefined): string | undefined => span?.spanContext().traceId;

// A worker runs one task at a time (piscina's default, and the scheduler hands it no more), so the
// task being run is the parent of every statement and compression started meanwhile.
let taskSpan: Span | undefined;

/**
 * Runs a worker's task in its span, a child of the span that sent it (`trace`, from the task). An
 * untraced task (tracing off, or sent without a trace context) runs as it is.
 */
export async function traceTask<T>(
  name: string,
  trace: TraceHeaders | undefined,
  attributes: Attributes,
  work: () => Promise<T>,
): Promise<T> {
  if (!tracer || !trace) return work();
  const span = tracer.start(name, trace, attributes);
  taskSpan = span;
  try {
    return await work();
  } catch (error) {
    tracer.fail(span, 'INTERNAL_SERVER_ERROR');
    throw error;
  } finally {
    taskSpan = undefined;
    span.end();
  }
}

/** Starts a span under the worker's current task, for a step that does not fit one call (a cursor read); none outside a traced task. */
export function startTaskSpan(name: string, attributes: Attributes): Span | undefined {
  const parent = taskSpan;
  if (!tracer || !parent?.isRecording()) return undefined;
  return tracer.start(name, parent, attributes);
}

/**
 * Runs one step of the worker's current task (a SQL statement, compression) in a span of its own;
 * `describe` adds what is known once it is done. Outside a traced task, runs it as it is.
 */
export function inTaskSpan<T>(
  name: string,
  attributes: Attributes,
  work: () => T,
  describe?: (result: Awaited<T>) => Attributes,
): T {
  const span = startTaskSpan(name, attributes);
  if (!span) return work();
  const done = (result: Awaited<T>) => {
    if (describe) span.setAttributes(describe(result));
    span.end();
    return result;
  };
  const failed = (error: unknown) => {
    endSpanOnError(span, error);
    throw error;
  };
  let result: T;
  try {
    result = work();
  } catch (error) {
    return failed(error);
  }
  if (result instanceof Promise) return result.then(done, failed) as T;
  return done(result as Awaited<T>) as T;
}
