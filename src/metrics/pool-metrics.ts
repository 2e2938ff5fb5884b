import type { Piscina } from 'piscina';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** How long one task waited for a worker and ran in it (worker-side), in milliseconds. */
export interface TaskTiming {
  waitMs: number;
  runMs: number;
}

/** What the worker pool reports; observed on the main thread, so one scrape covers the workers too. */
export interface PoolMetrics {
  /** Reads queue length and busy workers at each scrape, and counts workers started beyond the first `workers`. */
  watch(pool: Piscina, workers: number): void;
  taskDone(timing: TaskTiming): void;
  rejected(): void;
  timedOut(): void;
}

// From 1 ms (a small page) to a minute (a large export under load).
export const secondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60];

export function createPoolMetrics(registers: Registry[]): PoolMetrics {
  let watched: Piscina | undefined;
  const gauge = (name: string, help: string, read: (pool: Piscina) => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        if (watched) this.set(read(watched));
      },
    });
  gauge('worker_pool_queue_length', 'Operations waiting for a worker.', (pool) => pool.queueSize);
  gauge('worker_pool_busy_workers', 'Workers running an operation.', (pool) => pool.threads.length - pool.idleThreads);
  gauge('worker_pool_workers', 'Worker threads in the pool.', (pool) => pool.threads.length);
  const waitTime = new Histogram({
    name: 'worker_pool_wait_seconds',
    help: 'Time an operation waited for a worker.',
    buckets: secondsBuckets,
    registers,
  });
  const runTime = new Histogram({
    name: 'worker_pool_run_seconds',
    help: 'Time an operation ran in a worker: execution and JSON encoding.',
    buckets: secondsBuckets,
    registers,
  });
  const rejected = new Counter({
    name: 'worker_pool_rejected_total',
    help: 'Operations refused with 503 because the queue was full (MAX_QUEUE).',
    registers,
  });
  const timedOut = new Counter({
    name: 'worker_pool_timed_out_total',
    help: 'Operations that passed REQUEST_TIMEOUT_MS (answered 504).',
    registers,
  });
  const replaced = new Counter({
    name: 'worker_pool_workers_replaced_total',
    help: 'Workers started to replace one that was stopped (timeout) or died.',
    registers,
  });
  return {
    watch(pool, workers) {
      watched = pool;
      let created = 0;
      pool.on('workerCreate', () => {
        if (++created > workers) replaced.inc();
      });
    },
    taskDone: ({ waitMs, runMs }) => {
      waitTime.observe(waitMs / 1000);
      runTime.observe(runMs / 1000);
    },
    rejected: () => rejected.inc(),
    timedOut: () => timedOut.inc(),
  };
}
