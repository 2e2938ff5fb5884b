import { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { BudgetConfig } from '../config.js';
import type { Logger } from '../logger.js';

/** What spending from a caller's bucket came to. */
export type Spending = { ok: true; remaining: number } | { ok: false; remaining: number; retryAfterSeconds: number };

/** The callers' buckets: in Redis when `REDIS_URL` is set (every replica spends from the same), else in this process. */
export interface CostBudgets {
  readonly points: number;
  readonly restorePerSecond: number;
  /** Spends `points` from `key`'s bucket, or refuses (spending nothing) when fewer are left. */
  spend(key: string, points: number): Promise<Spending>;
  /** True while the buckets are shared through Redis; false without Redis, or while it is unreachable. */
  isShared(): boolean;
  close(): Promise<void>;
}

// How long a Redis command may take before this process decides alone (fail open, see below).
const redisTimeoutMs = 500;

/**
 * Buckets with `rate-limiter-flexible`: a fixed window of `points` per caller that starts with
 * its first spend and refills whole `points / restorePerSecond` seconds later (so it restores
 * `restorePerSecond` on average). With Redis, atomic in Redis; while Redis is unreachable each
 * process spends from buckets of its own (its insurance limiter): fail open, so a Redis outage
 * never stops the service, at the price of each replica granting a full budget meanwhile.
 */
export function createCostBudgets(config: BudgetConfig, logger: Logger): CostBudgets {
  const options = {
    points: config.points,
    duration: Math.max(1, Math.ceil(config.points / config.restorePerSecond)),
    keyPrefix: 'cost-budget',
  };
  const local = new RateLimiterMemory(options);
  let limiter: RateLimiterAbstract = local;
  let redis: Redis | undefined;
  let shared = false;
  if (config.redisUrl) {
    redis = new Redis(config.redisUrl, {
      // Fail fast while disconnected instead of queueing: the insurance limiter answers.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: redisTimeoutMs,
      connectTimeout: 2_000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    });
    redis.on('ready', () => {
      shared = true;
      logger.info('cost budgets shared through Redis');
    });
    redis.on('close', () => {
      if (shared) logger.warn('Redis unreachable: each process keeps its own cost budgets until it is back');
      shared = false;
    });
    // ioredis reports every failed reconnection; the transitions above say what matters.
    redis.on('error', (error) => logger.debug({ err: error }, 'Redis connection error'));
    limiter = new RateLimiterRedis({
      ...options,
      storeClient: redis,
      rejectIfRedisNotReady: true,
      insuranceLimiter: local,
    });
  }
  return {
    points: config.points,
    restorePerSecond: config.restorePerSecond,
    async spend(key, points) {
      try {
        const spent = await limiter.consume(key, points);
        return { ok: true, remaining: spent.remainingPoints };
      } catch (refusal) {
        if (!(refusal instanceof RateLimiterRes)) throw refusal;
        // A fixed window counts refused points too: give them back, so what is left stays spendable.
        await limiter.reward(key, points).catch(() => undefined);
        return {
          ok: false,
          remaining: Math.max(0, config.points - (refusal.consumedPoints - points)),
          retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)),
        };
      }
    },
    isShared: () => shared,
    async close() {
      redis?.disconnect();
    },
  };
}
