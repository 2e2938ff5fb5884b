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
   * thread keeps a core for HTTP, probes and writing bodies.
   */
  readonly workers: number;
  /**
   * `SMALL_OPERATION_MAX_COST`, default 5000: operations estimated at this cost or less (objects
   * they may return, as `MAX_COST` counts them) go before the work of larger ones in the queue. A
   * `first: 20` page with every nested field costs 840, `first: 100` 4,200, a 40,000-client export
   * 1,680,000.
   */
  readonly smallOperationMaxCost: number;
  /**
   * `SLICE_SIZE`, default 1000: a page of more clients is executed and sent in slices of this
   * many, one after the other, each a task of its own; 0 executes every page whole.
   */
  readonly sliceSize: number;
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
  /** What one request may ask for; refused before execution when exceeded. */
  readonly limits: QueryLimits;
  /** `INTROSPECTION`, default `true`: schema introspection; when off, error messages suggest no field names either. */
  readonly introspection: boolean;
  /** `GRAPHIQL`, default the value of `INTROSPECTION` (GraphiQL needs introspection). */
  readonly graphiql: boolean;
  /** `SHUTDOWN_DELAY_MS`, default 5000: after SIGTERM, readiness is 503 but requests are still served this long. */
  readonly shutdownDelayMs: number;
  /**
   * `SHUTDOWN_GRACE_MS`, default `REQUEST_TIMEOUT_MS` (so no operation that started is cut): then
   * in-flight requests get this long to finish before the connections left are closed.
   */
  readonly shutdownGraceMs: number;
  /** `WORKER_MAX_HEAP_MB`, default 4096: a worker's V8 old-generation limit; a worker past it dies and is replaced. */
  readonly workerMaxHeapMb: number;
}

/** Bounds on one request, checked on the main thread before anything runs in a worker. */
export interface QueryLimits {
  /** `MAX_DEPTH`, default 10: field nesting (the deepest path in the schema is 8). */
  readonly depth: number;
  /**
   * `MAX_COST`, default 50 x `MAX_PAGE_SIZE`: objects an operation may return at most, each list
   * counted at its page size (`first`/`last`, `DEFAULT_PAGE_SIZE` when absent, `ids` length for `nodes`).
   * With the defaults 5,000: a full page of 100 clients with their address and 20 accounts each
   * with its address (4,200) passes; `clients(first: 100) { ... bankAccounts(first: 100) }` (10,100) does not.
   */
  readonly cost: number;
  /** `MAX_ALIASES`, default 15. */
  readonly aliases: number;
  /** `MAX_DIRECTIVES`, default 50. */
  readonly directives: number;
  /** `MAX_TOKENS`, default 1000: lexical tokens in the query text (the every-field export needs about 120). */
  readonly tokens: number;
  /** `MAX_BODY_BYTES`, default 100000: larger request bodies get 413. */
  readonly bodyBytes: number;
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
    smallOperationMaxCost: integer(env, 'SMALL_OPERATION_MAX_COST', 5000, 0),
    sliceSize: integer(env, 'SLICE_SIZE', 1000, 0),
    maxQueue: integer(env, 'MAX_QUEUE', 64, 0),
    defaultPageSize: integer(env, 'DEFAULT_PAGE_SIZE', 20, 0),
    maxPageSize: integer(env, 'MAX_PAGE_SIZE', 100, 1),
    requestTimeoutMs: integer(env, 'REQUEST_TIMEOUT_MS', 30_000, 1),
    pgPoolSize: integer(env, 'PG_POOL_SIZE', 2, 1),
    seedClients: integer(env, 'SEED_CLIENTS', 40_000, 0),
    logLevel: env.LOG_LEVEL || 'info',
    limits: queryLimits(env),
    introspection: boolean(env, 'INTROSPECTION', true),
    graphiql: boolean(env, 'GRAPHIQL', boolean(env, 'INTROSPECTION', true)),
    shutdownDelayMs: integer(env, 'SHUTDOWN_DELAY_MS', 5_000, 0),
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', integer(env, 'REQUEST_TIMEOUT_MS', 30_000, 1), 0),
    workerMaxHeapMb: integer(env, 'WORKER_MAX_HEAP_MB', 4096, 16),
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

function queryLimits(env: Env): QueryLimits {
  const maxPageSize = integer(env, 'MAX_PAGE_SIZE', 100, 1);
  return Object.freeze({
    depth: integer(env, 'MAX_DEPTH', 10, 1),
    cost: integer(env, 'MAX_COST', 50 * maxPageSize, 1),
    aliases: integer(env, 'MAX_ALIASES', 15, 0),
    directives: integer(env, 'MAX_DIRECTIVES', 50, 0),
    tokens: integer(env, 'MAX_TOKENS', 1000, 1),
    bodyBytes: integer(env, 'MAX_BODY_BYTES', 100_000, 1),
  });
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new Error(`${name} must be "true" or "false", got "${raw}"`);
}

function executorMode(raw: string | undefined): ExecutorMode {
  if (raw === undefined || raw === '' || raw === 'workers') return 'workers';
  if (raw === 'inline') return 'inline';
  throw new Error(`EXECUTOR must be "workers" or "inline", got "${raw}"`);
}
