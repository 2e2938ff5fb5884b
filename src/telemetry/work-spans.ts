import { describeStatement } from './statement-description.js';
import { endSpanOnError, inTaskSpan, isTracing, startTaskSpan } from './tracing.js';

/** The database systems, as OpenTelemetry names them (`db.system.name`). */
export type DatabaseSystem = 'sqlite' | 'postgresql';

function statementSpan(system: DatabaseSystem, sql: string) {
  const { summary, operation, text } = describeStatement(sql);
  return {
    name: summary,
    attributes: { 'db.system.name': system, 'db.query.text': text, 'db.operation.name': operation },
  };
}

/**
 * Runs one SQL statement in a span of the worker's current task: its parameterised text and the
 * rows it returned, never its parameters (they can hold personal data).
 */
export function traceStatement<T>(system: DatabaseSystem, sql: string, run: () => T): T {
  if (!isTracing()) return run();
  const { name, attributes } = statementSpan(system, sql);
  return inTaskSpan(name, attributes, run, (rows) =>
    Array.isArray(rows) ? { 'db.response.returned_rows': rows.length } : {},
  );
}

/**
 * The same for a statement whose rows come in batches (a cursor): the span lasts from the first
 * batch asked for to the last one read, or to the reader stopping early.
 */
export function traceBatches<Batch extends readonly unknown[]>(
  system: DatabaseSystem,
  sql: string,
  read: () => AsyncIterable<Batch>,
): AsyncIterable<Batch> {
  if (!isTracing()) return read();
  return (async function* traced() {
    const { name, attributes } = statementSpan(system, sql);
    const span = startTaskSpan(name, attributes);
    let rows = 0;
    try {
      for await (const batch of read()) {
        rows += batch.length;
        yield batch;
      }
    } catch (error) {
      endSpanOnError(span, error);
      throw error;
    } finally {
      if (span?.isRecording()) {
        span.setAttribute('db.response.returned_rows', rows);
        span.end();
      }
    }
  })();
}

/** Runs the compression of a body (or a part of one) in a span of the worker's current task, with the bytes it made. */
export function traceCompression<T extends Uint8Array | { bytes: Uint8Array }>(encoding: string, run: () => T): T {
  if (!isTracing() || encoding === 'identity') return run();
  return inTaskSpan('compress', { 'content.encoding': encoding }, run, (result) => ({
    'content.compressed_bytes': (result instanceof Uint8Array ? result : result.bytes).byteLength,
  }));
}
