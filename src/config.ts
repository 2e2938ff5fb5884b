import { availableParallelism } from 'node:os';

/** How GraphQL operations are executed. */
export type ExecutorMode = 'workers' | 'inline';

/** Settings of the service; `loadConfig` is the only reader of `process.env`. */
export interface Config {
  /** `PORT`, default 4000. Example: `PORT=8080`. */
  readonly port: number;
  /** `HOST`, default `0.0.0.0`. */
  readonly host: string;
  /** `DATABASE_URL`, default `file:./data/clients.db`. */
  readonly databaseUrl: string;
  /** `EXECUTOR`, default `workers`; `inline` runs GraphQL on the main thread (for comparison only). */
  readonly executor: ExecutorMode;
  /**
   * `WORKERS`, default one less than the CPUs the process may use (at least 1): the main
   * thread keeps a core for HTTP, probes and writing bodies. Measured on 2 cores: 1 worker
   * kept the worst second of probes at 104% of the control's, 2 workers at 83%, for the same
   * export throughput (bench/RESULTS.md).
   */
  readonly workers: number;
  /**
   * `SMALL_LANE_WORKERS`, default 1: workers kept for small operations (see `smallLaneMaxCost`),
   * beside the `WORKERS` that run the rest, so small pages never wait behind exports. 0: one pool.
   */
  readonly smallLaneWorkers: number;
  /**
   * `SMALL_LANE_MAX_COST`, default 100000: the largest estimated cost (fields an operation may
   * return, page sizes multiplied) run in the small lane. A `first: 100` page with every
   * nested field is about 64,500; a 40,000-client export about 26 million.
   */
  readonly smallLaneMaxCost: number;
  /** `MAX_QUEUE`, default 64: operations waiting for a worker before callers get 503. */
  readonly maxQueue: number;
  /** `DEFAULT_PAGE_SIZE`, default 20: page size when neither `first` nor `last` is given. */
  readonly defaultPageSize: number;
  /** `MAX_PAGE_SIZE`, default 100: the largest `first`/`last` accepted. */
  readonly maxPageSize: number;
  /** `REQUEST_TIMEOUT_MS`, default 30000: how long one operation may wait and run. */
  readonly requestTimeoutMs: number;
  /**
   * `PG_POOL_SIZE`, default 2: PostgreSQL connections each worker may open. A replica opens
   * up to WORKERS x PG_POOL_SIZE, plus one for its readiness check.
   */
  readonly pgPoolSize: number;
  /** `SEED_CLIENTS`, default 40000: clients generated when the embedded database is created. */
  readonly seedClients: number;
  /** `LOG_LEVEL`, default `info`. */
  readonly logLevel: string;
}

type Env = Record<string, string | undefined>;

/** Reads the configuration from an environment (default: `process.env`); throws on invalid values. */
export function loadConfig(env: Env = process.env): Config {
  const config: Config = {
    port: integer(env, 'PORT', 4000, 0),
    host: env.HOST || '0.0.0.0',
    databaseUrl: env.DATABASE_URL || 'file:./data/clients.db',
    executor: executorMode(env.EXECUTOR),
    workers: integer(env, 'WORKERS', Math.max(1, availableParallelism() - 1), 1),
    smallLaneWorkers: integer(env, 'SMALL_LANE_WORKERS', 1, 0),
    smallLaneMaxCost: integer(env, 'SMALL_LANE_MAX_COST', 100_000, 0),
    maxQueue: integer(env, 'MAX_QUEUE', 64, 0),
    defaultPageSize: integer(env, 'DEFAULT_PAGE_SIZE', 20, 0),
    maxPageSize: integer(env, 'MAX_PAGE_SIZE', 100, 1),
    requestTimeoutMs: integer(env, 'REQUEST_TIMEOUT_MS', 30_000, 1),
    pgPoolSize: integer(env, 'PG_POOL_SIZE', 2, 1),
    seedClients: integer(env, 'SEED_CLIENTS', 40_000, 0),
    logLevel: env.LOG_LEVEL || 'info',
  };
  if (config.defaultPageSize > config.maxPageSize) {
    throw new Error(`DEFAULT_PAGE_SIZE (${config.defaultPageSize}) exceeds MAX_PAGE_SIZE (${config.maxPageSize})`);
  }
  return Object.freeze(config);
}

function integer(env: Env, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

function executorMode(raw: string | undefined): ExecutorMode {
  if (raw === undefined || raw === '' || raw === 'workers') return 'workers';
  if (raw === 'inline') return 'inline';
  throw new Error(`EXECUTOR must be "workers" or "inline", got "${raw}"`);
}
