import type { Piscina } from 'piscina';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** How long one task waited for a worker and ran in it (worker-side), in milliseconds. */
export interface TaskTiming {
  waitMs: number;
  runMs: number;
}

/**
 * What one pool (lane) reports, every series labelled with its `lane`; observed on the main
 * thread, so one scrape covers the workers too.
 */
export interface PoolMetrics {
  /** Reads queue length and busy workers at each scrape, and counts workers started beyond the first `workers`. */
  watch(pool: Piscina, workers: number): void;
  taskDone(timing: TaskTiming): void;
  rejected(): void;
  timedOut(): void;
  /** The same metrics for another lane's pool. */
  forLane(lane: string): PoolMetrics;
}

// From 1 ms (a small page) to a minute (a large export under load).
export const secondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60];

/** The pool metrics, labelled `lane="large"` (the pool that runs everything without a small lane). */
export function createPoolMetrics(registers: Registry[]): PoolMetrics {
  const watched = new Map<string, Piscina>();
  const labelNames = ['lane'];
  const gauge = (name: string, help: string, read: (pool: Piscina) => number) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers,
      collect() {
        for (const [lane, pool] of watched) this.set({ lane }, read(pool));
      },
    });
  gauge('worker_pool_queue_length', 'Operations waiting for a worker.', (pool) => pool.queueSize);
  gauge('worker_pool_busy_workers', 'Workers running an operation.', (pool) => pool.threads.length - pool.idleThreads);
  gauge('worker_pool_workers', 'Worker threads in the pool.', (pool) => pool.threads.length);
  const histogram = (name: string, help: string) =>
    new Histogram({ name, help, labelNames, buckets: secondsBuckets, registers });
  const counter = (name: string, help: string) => new Counter({ name, help, labelNames, registers });
  const waitTime = histogram('worker_pool_wait_seconds', 'Time an operation waited for a worker.');
  const runTime = histogram('worker_pool_run_seconds', 'Time an operation ran in a worker: execution and encoding.');
  const rejected = counter(
    'worker_pool_rejected_total',
    'Operations refused with 503 because the queue was full (MAX_QUEUE).',
  );
  const timedOut = counter('worker_pool_timed_out_total', 'Operations that passed REQUEST_TIMEOUT_MS (answered 504).');
  const replaced = counter(
    'worker_pool_workers_replaced_total',
    'Workers started to replace one that was stopped (timeout) or died.',
  );
  const forLane = (lane: string): PoolMetrics => ({
    watch(pool, workers) {
      watched.set(lane, pool);
      let created = 0;
      pool.on('workerCreate', () => {
        if (++created > workers) replaced.inc({ lane });
      });
    },
    taskDone: ({ waitMs, runMs }) => {
      waitTime.observe({ lane }, waitMs / 1000);
      runTime.observe({ lane }, runMs / 1000);
    },
    rejected: () => rejected.inc({ lane }),
    timedOut: () => timedOut.inc({ lane }),
    forLane,
  });
  return forLane('large');
}
