import { Piscina } from 'piscina';
import { timedOut, unavailable } from '../errors.js';
import type { PoolMetrics } from '../metrics/pool-metrics.js';
import { endSpanAt, endSpanOnError, type Span, startSpan, traceHeadersOf } from '../telemetry/tracing.js';
import {
  epochNow,
  type OperationReply,
  type OperationTask,
  type SliceReply,
  type SliceTask,
  type Task,
  unpackReply,
  type WorkerSettings,
  type WorkerTiming,
} from './protocol.js';
import { createScheduler, type Priority, type TaskPlace } from './scheduler.js';

export interface WorkerPoolOptions {
  /** Worker threads, started up front and kept (no idle exit: each one builds a schema). */
  workers: number;
  /** Operations that may wait for a worker; beyond that callers get 503 at once. */
  maxQueue: number;
  /** Deadline per operation, queueing and every slice included; a task running past it loses its worker. */
  timeoutMs: number;
  /** Operations estimated at this cost or less go before the work of larger ones. */
  smallMaxCost: number;
  /** A worker's V8 old-generation limit; a worker past it dies, its operation fails, piscina replaces it. */
  maxHeapMb?: number;
  settings: WorkerSettings;
  /** Where queue, timing and failure figures go (none: not measured). */
  metrics?: PoolMetrics;
  /**
   * Told of a worker that fails outside any task (a replacement that cannot open the database,
   * say): piscina emits it as an 'error' event, which unheard would end the process.
   */
  onWorkerError?: (error: unknown) => void;
}

/** How to start one operation. */
export interface StartOptions {
  /** The operation's estimated cost (see server/query-cost.ts); small ones go first. */
  cost?: number;
  /** Aborts when the caller went away: the operation leaves the queue (a running task is let finish). */
  signal?: AbortSignal;
  /** The span the first task's wait (and so its run in the worker) is traced under. */
  trace?: Span;
}

/** A task's reply, with how long the task waited for a worker. */
export type Pooled<Reply> = Reply & { waitMs: number };

/** An operation admitted to the pool: its first reply, and its slices to come when it has any. */
export interface RunningOperation {
  reply: Pooled<OperationReply>;
  /** Runs one slice of this operation, queued like any large task, within the operation's deadline; traced under `trace`. */
  slice(task: SliceTask, signal?: AbortSignal, trace?: Span, share?: number): Promise<Pooled<SliceReply>>;
  /** Gives the operation's place back: its response is complete, failed or abandoned. */
  end(): void;
  /** True while small operations wait or run: slices are then made smaller (see slice-order.ts). */
  smallWorkWaiting(): boolean;
  /** Aborts with a TIMEOUT error when the operation's time (REQUEST_TIMEOUT_MS, sending included) is up. */
  deadline: AbortSignal;
}

export interface WorkerPool {
  /** Admits an operation (503 UNAVAILABLE when MAX_QUEUE operations already wait) and runs its first task. */
  start(task: OperationTask, options?: StartOptions): Promise<RunningOperation>;
  /** True while the pool refuses new operations. */
  isSaturated(): boolean;
  /** Opens the database and loads the schema in every worker. */
  warmUp(): Promise<void>;
  close(): Promise<void>;
}

// Workers yield the CPU to the main thread, so probes and small requests never wait behind them.
const workerNice = 19;

export function createWorkerPool(options: WorkerPoolOptions): WorkerPool {
  const pool = new Piscina({
    filename: new URL('./worker.js', import.meta.url).href,
    name: 'handleTask',
    minThreads: options.workers,
    maxThreads: options.workers,
    idleTimeout: Number.POSITIVE_INFINITY,
    niceIncrement: workerNice,
    resourceLimits: options.maxHeapMb ? { maxOldGenerationSizeMb: options.maxHeapMb } : undefined,
    workerData: options.settings,
  });
  // One more operation than workers takes turns, so the next slice of one is ready when a worker frees.
  const scheduler = createScheduler(options.workers, options.workers + 1);
  let operations = 0;
  // Operations admitted and not ended: waiting, running, or between the slices of their response.
  const capacity = options.workers + options.maxQueue;
  let admitted = 0;
  const { metrics } = options;
  metrics?.watch(pool, options.workers, scheduler);
  pool.on('error', (error: unknown) => options.onWorkerError?.(error));

  /**
   * Runs one task of an operation: queued by its place, withdrawn if `signal` aborts first, bounded
   * by `deadline`. Traced, its wait for a worker is a span under `trace`, and the worker's span of
   * the task a child of that.
   */
  async function runTask<Reply extends object>(
    task: OperationTask | SliceTask,
    place: TaskPlace,
    deadline: AbortSignal,
    signal?: AbortSignal,
    trace?: Span,
  ): Promise<Pooled<Reply>> {
    const submittedAt = epochNow();
    const waiting = startSpan('pool.wait', trace, { 'task.kind': task.kind, 'pool.priority': place.priority });
    const sent: Task = waiting ? { ...task, trace: traceHeadersOf(waiting) } : task;
    try {
      const bytes: Uint8Array = await scheduler.run(
        place,
        () => pool.run(sent, { signal: deadline }),
        signal ? AbortSignal.any([deadline, signal]) : deadline,
      );
      const reply = unpackReply<Reply & { timing: WorkerTiming }>(bytes);
      endSpanAt(waiting, reply.timing.startedAt);
      const waitMs = Math.max(0, reply.timing.startedAt - submittedAt);
      metrics?.taskDone({ waitMs, runMs: reply.timing.runMs, compiles: reply.timing.compiles ?? [] });
      return { ...reply, waitMs };
    } catch (error) {
      endSpanOnError(waiting, deadline.aborted ? deadline.reason : error);
      if (deadline.aborted) throw deadline.reason;
      throw error;
    }
  }

  return {
    async start(task, { cost, signal, trace } = {}) {
      if (admitted >= capacity) {
        metrics?.rejected();
        throw unavailable('The service is busy: too many operations are waiting. Retry shortly.', 1);
      }
      admitted++;
      const operation = ++operations;
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        admitted--;
        scheduler.ended(operation);
        clearTimeout(timer);
      };
      const expired = new AbortController();
      const timer = setTimeout(() => {
        metrics?.timedOut();
        expired.abort(timedOut(`The operation did not finish within ${options.timeoutMs} ms (REQUEST_TIMEOUT_MS).`));
      }, options.timeoutMs);
      timer.unref();
      const deadline = expired.signal;
      const priority: Priority = cost !== undefined && cost <= options.smallMaxCost ? 'small' : 'large';
      try {
        const reply = await runTask<OperationReply>(task, { priority, operation }, deadline, signal, trace);
        if (!reply.stream) end();
        return {
          reply,
          slice: (sliceTask, sliceSignal, sliceTrace, share) =>
            runTask<SliceReply>(sliceTask, { priority: 'large', operation, share }, deadline, sliceSignal, sliceTrace),
          end,
          smallWorkWaiting: () => scheduler.smallTasks() > 0,
          deadline,
        };
      } catch (error) {
        end();
        throw error;
      }
    },
    isSaturated: () => admitted >= capacity,
    async warmUp() {
      await Promise.all(Array.from({ length: options.workers }, () => pool.run({ kind: 'warm-up' })));
    },
    async close() {
      // One each (as for the warm-up): a worker's spans still waiting for their batch are sent before it stops.
      if (options.settings.tracing) {
        await Promise.all(Array.from({ length: options.workers }, () => pool.run({ kind: 'flush' }).catch(() => {})));
      }
      await pool.close();
    },
  };
}
