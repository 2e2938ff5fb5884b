import { performance } from 'node:perf_hooks';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { createPoolMetrics, type PoolMetrics } from './pool-metrics.js';
import { createRequestMetrics, type RequestMetrics } from './request-metrics.js';

/** Every metric of one service instance, in its own registry (tests run several in one process). */
export interface Metrics {
  registry: Registry;
  pool: PoolMetrics;
  requests: RequestMetrics;
}

/** Node's default metrics (`nodejs_eventloop_lag_seconds` among them), the main thread's ELU, pool and GraphQL. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  let previous = performance.eventLoopUtilization();
  new Gauge({
    name: 'main_thread_event_loop_utilization_ratio',
    help: 'Share of time the main thread event loop was busy since the previous scrape (0-1).',
    registers,
    collect() {
      const current = performance.eventLoopUtilization();
      this.set(performance.eventLoopUtilization(current, previous).utilization);
      previous = current;
    },
  });
  return { registry, pool: createPoolMetrics(registers), requests: createRequestMetrics(registers) };
}

/** `cost_budget_shared`: 1 while the cost budgets are shared through Redis, 0 while this process keeps its own. */
export function observeBudgetStore(registry: Registry, isShared: () => boolean): void {
  new Gauge({
    name: 'cost_budget_shared',
    help: "Whether callers' cost budgets are shared by every replica through Redis (1), or kept by this process alone (0: no REDIS_URL, or Redis unreachable).",
    registers: [registry],
    collect() {
      this.set(isShared() ? 1 : 0);
    },
  });
}
