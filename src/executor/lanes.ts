import { createWorkerPool, type WorkerPool, type WorkerPoolOptions } from './pool.js';
import type { OperationTask } from './protocol.js';

export interface LanesOptions {
  /** Runs operations estimated above `maxSmallCost` (exports, big pages). */
  large: WorkerPool;
  /** Its own workers, so small operations never queue behind large ones. */
  small: WorkerPool;
  /** The largest estimated cost (fields an operation may return) that goes to the small lane. */
  maxSmallCost: number;
}

/**
 * Two pools behind one: small operations (a page of 20, a refetch by id) run in their own
 * workers, so a few exports occupying every large-lane worker cannot hold them up for seconds.
 * An operation without an estimate goes to the large lane.
 */
export function createLanes({ large, small, maxSmallCost }: LanesOptions): WorkerPool {
  return {
    run(task: OperationTask, options) {
      const cost = options?.cost;
      return (cost !== undefined && cost <= maxSmallCost ? small : large).run(task, options);
    },
    async warmUp() {
      await Promise.all([large.warmUp(), small.warmUp()]);
    },
    async close() {
      await Promise.all([large.close(), small.close()]);
    },
  };
}

export interface SmallLaneOptions {
  /** Workers of the small lane; 0 runs everything in one pool. */
  workers: number;
  /** See `LanesOptions.maxSmallCost`. */
  maxCost: number;
}

// Above the large lane's 19: when both lanes compete for a core, a small page gets most of it.
const smallLaneNice = 10;

/** The worker pool, split in a large and a small lane when the small lane has workers. */
export function createPoolWithLanes(options: WorkerPoolOptions & { smallLane: SmallLaneOptions }): WorkerPool {
  const { smallLane, ...large } = options;
  if (smallLane.workers === 0) return createWorkerPool(large);
  // One set of gauges per scrape: the large lane's (the one that queues); counters from both.
  const smallMetrics = large.metrics && { ...large.metrics, watch() {} };
  return createLanes({
    large: createWorkerPool(large),
    small: createWorkerPool({ ...large, workers: smallLane.workers, nice: smallLaneNice, metrics: smallMetrics }),
    maxSmallCost: smallLane.maxCost,
  });
}
