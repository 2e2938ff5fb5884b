import { Readable } from 'node:stream';
import { GraphQLError } from 'graphql';
import type { Span } from '../telemetry/tracing.js';
import type { Pooled, RunningOperation } from './pool.js';
import type { OperationText, SliceReply, SliceTask } from './protocol.js';
import { createSliceOrder } from './slice-order.js';

export interface ResponseStreamEvents {
  /** The span the slices' tasks are traced under (the response's sending), when traced. */
  trace?: Span;
  /** After each slice's bytes are handed on. */
  onSlice?(reply: Pooled<SliceReply>): void;
  /**
   * The response cannot be completed (a slice failed, the deadline passed, a worker died): the
   * body must end abnormally, never as a well-formed body that lacks rows. The stream then ends
   * without an error event.
   */
  onFailure(error: unknown): void;
}

// Enough for the next slice to be produced while the current one is sent; more is not buffered.
const highWaterMark = 4 << 20;

/**
 * The body of an operation whose first task left slices of a page to come: its first bytes,
 * then each slice's bytes as the worker produces them. A slice is requested only when the
 * bytes before it are nearly sent (the stream's buffer is below its high-water mark), so a slow
 * reader pauses production instead of making anyone buffer the whole response. Destroying the
 * stream (the caller went away) stops production before the next slice.
 */
export function createResponseStream(
  operation: RunningOperation,
  text: OperationText,
  events: ResponseStreamEvents,
): Readable {
  const plan = operation.reply.stream;
  if (!plan) throw new Error('the operation has no slices to stream');
  const order = createSliceOrder(plan);
  const afterEdges = plan.streams.map((stream) => stream.afterEdges);
  let coding = plan.coding;
  let objects = plan.objects;
  let producing = false;
  const stopped = new AbortController();

  async function produce(stream: Readable) {
    const slice = order.next(operation.smallWorkWaiting());
    if (!slice) return;
    producing = true;
    const task: SliceTask = {
      kind: 'slice',
      query: text.query,
      variables: text.variables,
      operationName: text.operationName,
      requestId: text.requestId,
      stream: slice.stream,
      range: slice.range,
      afterEdges: afterEdges[slice.streamIndex] ?? false,
      endsStream: slice.endsStream,
      followedBy: slice.followedBy,
      lastStream: slice.lastStream,
      coding,
      objectsBefore: objects,
    };
    try {
      const reply = await operation.slice(task, stopped.signal, events.trace, slice.share);
      if (reply.failed) {
        const code = reply.failed[0] ?? 'INTERNAL_SERVER_ERROR';
        throw new GraphQLError(`A slice of the response failed (${reply.failed.join(', ')}).`, {
          extensions: { code },
        });
      }
      if (stream.destroyed) return;
      coding = reply.coding;
      objects += reply.objects;
      if (reply.rows > 0) afterEdges[slice.streamIndex] = true;
      order.done(reply);
      events.onSlice?.(reply);
      producing = false;
      stream.push(Buffer.from(reply.body.buffer, reply.body.byteOffset, reply.body.byteLength));
      if (reply.ended && slice.lastStream) {
        operation.end();
        stream.push(null);
      }
    } catch (error) {
      if (stream.destroyed) return;
      events.onFailure(error);
      // Without an error: the reader (a pipe) has no error handler, and onFailure ended the response.
      stream.destroy();
    }
  }

  const first = operation.reply.body;
  const stream = new Readable({
    highWaterMark,
    read() {
      if (!producing) void produce(this);
    },
    destroy(error, callback) {
      stopped.abort();
      operation.end();
      callback(error);
    },
  });
  // The deadline covers sending too: a reader too slow to take the body in time is cut off.
  const expire = () => {
    if (stream.destroyed) return;
    events.onFailure(operation.deadline.reason);
    stream.destroy();
  };
  operation.deadline.addEventListener('abort', expire, { once: true });
  stream.once('close', () => operation.deadline.removeEventListener('abort', expire));
  stream.push(Buffer.from(first.buffer, first.byteOffset, first.byteLength));
  return stream;
}
