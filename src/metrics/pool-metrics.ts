import type { Piscina } from 'piscina';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CompileReport } from '../executor/execute-compiled.js';
import type { Scheduler } from '../executor/scheduler.js';

/** How long one task waited for a worker and ran in it (worker-side), in milliseconds, and what it compiled. */
export interface TaskTiming {
  waitMs: number;
  runMs: number;
  compiles: CompileReport[];
}

/** What the worker pool reports; observed on the main thread, so one scrape covers the workers too. */
export interface PoolMetrics {
  /** Reads queued and running tasks at each scrape, and counts workers started beyond the first `workers`. */
  watch(pool: Piscina, workers: number, scheduler: Scheduler): void;
  taskDone(timing: TaskTiming): void;
  rejected(): void;
  timedOut(): void;
}

// From 1 ms (a small page) to a minute (a large export under load).
export const secondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60];

export function createPoolMetrics(registers: Registry[]): PoolMetrics {
  let watched: { pool: Piscina; scheduler: Scheduler } | undefined;
  const gauge = (name: string, help: string, read: (pool: Piscina, scheduler: Scheduler) => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        if (watched) this.set(read(watched.pool, watched.scheduler));
      },
    });
  gauge('worker_pool_queue_length', 'Tasks (operations and slices of large pages) waiting for a worker.', (_, s) =>
    s.waiting(),
  );
  gauge('worker_pool_busy_workers', 'Workers running a task.', (_, scheduler) => scheduler.running());
  gauge('worker_pool_workers', 'Worker threads in the pool.', (pool) => pool.threads.length);
  const histogram = (name: string, help: string) => new Histogram({ name, help, buckets: secondsBuckets, registers });
  const counter = (name: string, help: string) => new Counter({ name, help, registers });
  const waitTime = histogram('worker_pool_wait_seconds', 'Time a task waited for a worker.');
  const runTime = histogram('worker_pool_run_seconds', 'Time a task ran in a worker: execution and encoding.');
  const rejected = counter(
    'worker_pool_rejected_total',
    'Operations refused with 503 because the queue was full (MAX_QUEUE).',
  );
  const timedOut = counter('worker_pool_timed_out_total', 'Operations that passed REQUEST_TIMEOUT_MS (answered 504).');
  const replaced = counter(
    'worker_pool_workers_replaced_total',
    'Workers started to replace one that was stopped (timeout) or died.',
  );
  const compileTime = histogram(
    'graphql_jit_compile_seconds',
    'Time graphql-jit took to compile an operation seen again.',
  );
  const compilations = new Counter({
    name: 'graphql_jit_compilations_total',
    help: 'Operations seen again: compiled, unsupported by graphql-jit, or deferred while the compile budget was spent (graphql-js ran them).',
    labelNames: ['outcome'],
    registers,
  });
  return {
    watch(pool, workers, scheduler) {
      watched = { pool, scheduler };
      let created = 0;
      pool.on('workerCreate', () => {
        if (++created > workers) replaced.inc();
      });
    },
    taskDone: ({ waitMs, runMs, compiles }) => {
      waitTime.observe(waitMs / 1000);
      runTime.observe(runMs / 1000);
      for (const { outcome, ms } of compiles) {
        compilations.inc({ outcome });
        if (outcome !== 'deferred') compileTime.observe(ms / 1000);
      }
    },
    rejected: () => rejected.inc(),
    timedOut: () => timedOut.inc(),
  };
}
