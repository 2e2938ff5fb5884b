import { Piscina } from 'piscina';
import { timedOut, unavailable } from '../errors.js';
import type { PoolMetrics } from '../metrics/pool-metrics.js';
import { epochNow, type OperationReply, type OperationTask, unpackReply, type WorkerSettings } from './protocol.js';

export interface WorkerPoolOptions {
  /** Worker threads, started up front and kept (no idle exit: each one builds a schema). */
  workers: number;
  /** Operations that may wait for a worker; beyond that callers get 503 at once. */
  maxQueue: number;
  /** Deadline per operation, queueing included; a running operation past it loses its worker. */
  timeoutMs: number;
  /** A worker's V8 old-generation limit; a worker past it dies, its operation fails, piscina replaces it. */
  maxHeapMb?: number;
  settings: WorkerSettings;
  /** Where queue, timing and failure figures go (none: not measured). */
  metrics?: PoolMetrics;
}

/** How to run one operation. */
export interface RunOptions {
  /** The operation's estimated cost (see server/query-cost.ts), for picking a lane. */
  cost?: number;
  /** Aborts when the caller went away: the operation is dropped from the queue or stopped. */
  signal?: AbortSignal;
}

/** A worker's reply, with how long the operation waited for a worker. */
export interface PooledReply extends OperationReply {
  waitMs: number;
}

export interface WorkerPool {
  run(task: OperationTask, options?: RunOptions): Promise<PooledReply>;
  /** True while every worker is busy and the queue is full: new operations get 503. */
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

  // Counted here rather than with piscina's maxQueue, whose bound also depends on how its
  // balancer has spread tasks: here "running + waiting" is exact.
  const capacity = options.workers + options.maxQueue;
  let inFlight = 0;
  const { metrics } = options;
  metrics?.watch(pool, options.workers);

  return {
    async run(task, { signal } = {}) {
      if (inFlight >= capacity) {
        metrics?.rejected();
        throw unavailable('The service is busy: too many operations are waiting. Retry shortly.', 1);
      }
      inFlight++;
      const submittedAt = epochNow();
      const deadline = AbortSignal.timeout(options.timeoutMs);
      try {
        const bytes: Uint8Array = await pool.run(task, {
          signal: signal ? AbortSignal.any([deadline, signal]) : deadline,
        });
        const reply = unpackReply(bytes);
        const waitMs = Math.max(0, reply.timing.startedAt - submittedAt);
        metrics?.taskDone({ waitMs, runMs: reply.timing.runMs });
        return { ...reply, waitMs };
      } catch (error) {
        if (deadline.aborted) {
          metrics?.timedOut();
          throw timedOut(`The operation did not finish within ${options.timeoutMs} ms (REQUEST_TIMEOUT_MS).`);
        }
        throw error;
      } finally {
        inFlight--;
      }
    },
    isSaturated: () => inFlight >= capacity,
    async warmUp() {
      await Promise.all(Array.from({ length: options.workers }, () => pool.run({ kind: 'warm-up' })));
    },
    close: () => pool.close(),
  };
}
