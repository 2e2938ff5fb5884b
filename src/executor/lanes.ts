import { createWorkerPool, type WorkerPool, type WorkerPoolOptions } from './pool.js';
import type { OperationTask } from './protocol.js';

/** A pool and how many workers it has. */
export interface Lane {
  pool: WorkerPool;
  workers: number;
}

export interface LanesOptions {
  /** Runs operations estimated above `maxSmallCost` (exports, big pages). */
  large: Lane;
  /** Its own workers, so small operations never queue behind large ones. */
  small: Lane;
  /** The largest estimated cost (fields an operation may return) that goes to the small lane. */
  maxSmallCost: number;
}

/**
 * Two pools behind one: small operations (a page of 20, a refetch by id) run in their own
 * workers, so a few exports occupying every large-lane worker cannot hold them up for seconds.
 * A small operation may also take an idle large-lane worker when every small-lane one is busy
 * (it never queues there), so many small pages use every core. An operation without an
 * estimate is large.
 */
export function createLanes({ large, small, maxSmallCost }: LanesOptions): WorkerPool {
  // Operations sent to each lane and not settled yet: below its workers, one of them is idle.
  const running = new Map<Lane, number>([
    [large, 0],
    [small, 0],
  ]);
  const hasIdleWorker = (lane: Lane) => (running.get(lane) ?? 0) < lane.workers;
  return {
    async run(task: OperationTask, options) {
      const isSmall = options?.cost !== undefined && options.cost <= maxSmallCost;
      const lane = !isSmall || (!hasIdleWorker(small) && hasIdleWorker(large)) ? large : small;
      running.set(lane, (running.get(lane) ?? 0) + 1);
      try {
        return await lane.pool.run(task, options);
      } finally {
        running.set(lane, (running.get(lane) ?? 1) - 1);
      }
    },
    // Either lane full means some operations are refused: the load balancer should look elsewhere.
    isSaturated: () => large.pool.isSaturated() || small.pool.isSaturated(),
    async warmUp() {
      await Promise.all([large.pool.warmUp(), small.pool.warmUp()]);
    },
    async close() {
      await Promise.all([large.pool.close(), small.pool.close()]);
    },
  };
}

export interface SmallLaneOptions {
  /** Workers of the small lane; 0 runs everything in one pool. */
  workers: number;
  /** See `LanesOptions.maxSmallCost`. */
  maxCost: number;
}

/** The worker pool, split in a large and a small lane when the small lane has workers. */
export function createPoolWithLanes(options: WorkerPoolOptions & { smallLane: SmallLaneOptions }): WorkerPool {
  const { smallLane, ...large } = options;
  if (smallLane.workers === 0) return createWorkerPool(large);
  const smallMetrics = large.metrics?.forLane('small');
  return createLanes({
    large: { pool: createWorkerPool(large), workers: large.workers },
    small: {
      pool: createWorkerPool({ ...large, workers: smallLane.workers, metrics: smallMetrics }),
      workers: smallLane.workers,
    },
    maxSmallCost: smallLane.maxCost,
  });
}
