import { availableParallelism } from 'node:os';
import { readTracingConfig, type TracingConfig } from './telemetry/tracing-config.js';

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
  /**
   * `PLANNER`, default `true`: the edges of a `clients` page whose selection the planner can
   * compile are written as JSON by the database (one statement per page or slice); `false`
   * executes every page with graphql-jit. The bytes are the same either way.
   */
  readonly planner: boolean;
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
  /** Who may call: `AUTH` and the `JWT_*` settings. */
  readonly auth: AuthConfig;
  /** Per-caller cost budgets, or null when none apply (`AUTH=none` without `COST_BUDGET`). */
  readonly budget: BudgetConfig | null;
  /**
   * `TRUST_PROXY_HOPS`, default 0: proxies in front of the service that append the address they
   * saw to `X-Forwarded-For`. With `AUTH=none`, budgets key on the caller's address: 0 takes the
   * connection's own address; N takes the Nth entry of `X-Forwarded-For` from the right (the
   * address the outermost of N trusted proxies saw). Example: `TRUST_PROXY_HOPS=1` behind one ingress.
   */
  readonly trustProxyHops: number;
  /**
   * Span export over OTLP/HTTP, from the standard `OTEL_*` variables; absent (tracing off, nothing
   * loaded) unless `OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set.
   */
  readonly tracing?: TracingConfig;
}

/** How callers prove who they are. */
export type AuthConfig = { readonly mode: 'none' } | JwtConfig;

/** `AUTH=jwt`: every GraphQL request carries `Authorization: Bearer <token>` (probes and /metrics never do). */
export interface JwtConfig {
  readonly mode: 'jwt';
  /**
   * `JWT_JWKS_URL`: where the signing keys are published (RS, PS, ES and EdDSA algorithms). Keys
   * are cached; a token signed with an unknown `kid` fetches them again, at most once per
   * `jwksCooldownMs`. Example: `https://login.example.com/.well-known/jwks.json`.
   */
  readonly jwksUrl?: string;
  /** `JWT_SECRET`: an HS256 shared secret of at least 32 characters, for development; instead of `JWT_JWKS_URL`. */
  readonly secret?: string;
  /** `JWT_ISSUER`: the `iss` every token must carry; not checked when unset. */
  readonly issuer?: string;
  /** `JWT_AUDIENCE`: the `aud` every token must carry (one of, when it holds a list); not checked when unset. */
  readonly audience?: string;
  /** `JWT_JWKS_COOLDOWN_MS`, default 30000: the least time between two fetches of the keys triggered by an unknown `kid`. */
  readonly jwksCooldownMs: number;
}

/**
 * Each caller (the token's subject; with `AUTH=none` the client address) has a bucket of
 * `points`; an operation spends its requested cost before it runs; an empty bucket answers 429.
 */
export interface BudgetConfig {
  /** `COST_BUDGET`, default 10 x `MAX_COST` with `AUTH=jwt`; with `AUTH=none` budgets apply only when it is set. */
  readonly points: number;
  /**
   * `COST_RESTORE_PER_SECOND`, default `MAX_COST`: the rate the bucket refills at. The whole
   * bucket comes back `COST_BUDGET / COST_RESTORE_PER_SECOND` seconds after its first spend.
   */
  readonly restorePerSecond: number;
  /**
   * `REDIS_URL`: buckets shared by every replica (`redis://host:6379`). Unset: each process keeps
   * its own. While Redis is unreachable each process falls back to its own buckets (fail open).
   */
  readonly redisUrl?: string;
}

/** Bounds on one request, checked on the main thread before anything runs in a worker. */
export interface QueryLimits {
  /** `MAX_DEPTH`, default 10: field nesting (the deepest path in the schema is 8). */
  readonly depth: number;
  /**
   * `MAX_COST`, default 3 x `MAX_PAGE_SIZE` x (`MAX_PAGE_SIZE` + 1) (30,300): objects an operation
   * may return at most, each list counted at its page size (`first`/`last`, `DEFAULT_PAGE_SIZE`
   * when absent, `ids` length for `nodes`), plus what its filters may read (see `defaultMaxCost`).
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
  const limits = queryLimits(env);
  const auth = authConfig(env);
  const config: Config = {
    port: integer(env, 'PORT', 4000, 0),
    host: env.HOST || '0.0.0.0',
    databaseUrl: env.DATABASE_URL || 'file:./data/clients.db',
    executor: executorMode(env.EXECUTOR),
    workers: integer(env, 'WORKERS', Math.max(1, availableParallelism() - 1), 1),
    smallOperationMaxCost: integer(env, 'SMALL_OPERATION_MAX_COST', 5000, 0),
    sliceSize: integer(env, 'SLICE_SIZE', 1000, 0),
    planner: boolean(env, 'PLANNER', true),
    maxQueue: integer(env, 'MAX_QUEUE', 64, 0),
    defaultPageSize: integer(env, 'DEFAULT_PAGE_SIZE', 20, 0),
    maxPageSize: integer(env, 'MAX_PAGE_SIZE', 100, 1),
    requestTimeoutMs: integer(env, 'REQUEST_TIMEOUT_MS', 30_000, 1),
    pgPoolSize: integer(env, 'PG_POOL_SIZE', 2, 1),
    seedClients: integer(env, 'SEED_CLIENTS', 40_000, 0),
    logLevel: env.LOG_LEVEL || 'info',
    limits,
    introspection: boolean(env, 'INTROSPECTION', true),
    graphiql: boolean(env, 'GRAPHIQL', boolean(env, 'INTROSPECTION', true)),
    shutdownDelayMs: integer(env, 'SHUTDOWN_DELAY_MS', 5_000, 0),
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', integer(env, 'REQUEST_TIMEOUT_MS', 30_000, 1), 0),
    workerMaxHeapMb: integer(env, 'WORKER_MAX_HEAP_MB', 4096, 16),
    auth,
    budget: budgetConfig(env, auth, limits.cost),
    trustProxyHops: integer(env, 'TRUST_PROXY_HOPS', 0, 0),
    tracing: readTracingConfig(env),
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
    cost: integer(env, 'MAX_COST', defaultMaxCost(maxPageSize), 1),
    aliases: integer(env, 'MAX_ALIASES', 15, 0),
    directives: integer(env, 'MAX_DIRECTIVES', 50, 0),
    tokens: integer(env, 'MAX_TOKENS', 1000, 1),
    bodyBytes: integer(env, 'MAX_BODY_BYTES', 100_000, 1),
  });
}

/**
 * 1.5 times the deepest query of full pages, 3P(P + 1) for P = `MAX_PAGE_SIZE` (30,300 for 100):
 * P clients, each with its address and P accounts with theirs, cost P(2 + 2P); the other half of
 * that is room for a filter and its `totalCount` (they cost what they may read), and two copies
 * of the deepest query (4P(P + 1)) are still refused.
 */
export const defaultMaxCost = (maxPageSize: number) =>
  Math.min(Number.MAX_SAFE_INTEGER, 3 * maxPageSize * (maxPageSize + 1));

function authConfig(env: Env): AuthConfig {
  // Every name is read whatever the mode, so the manifests test sees them all.
  const mode = env.AUTH || 'none';
  const jwksUrl = env.JWT_JWKS_URL || undefined;
  const secret = env.JWT_SECRET || undefined;
  const issuer = env.JWT_ISSUER || undefined;
  const audience = env.JWT_AUDIENCE || undefined;
  const jwksCooldownMs = integer(env, 'JWT_JWKS_COOLDOWN_MS', 30_000, 0);
  if (mode === 'none') return { mode };
  if (mode !== 'jwt') throw new Error(`AUTH must be "none" or "jwt", got "${mode}"`);
  if ((jwksUrl === undefined) === (secret === undefined)) {
    throw new Error('AUTH=jwt needs exactly one of JWT_JWKS_URL (signing keys) or JWT_SECRET (HS256, development)');
  }
  if (jwksUrl !== undefined && !/^https?:\/\/[^/]/.test(jwksUrl)) {
    throw new Error(`JWT_JWKS_URL must be an http(s) URL, got "${jwksUrl}"`);
  }
  // RFC 7518: an HS256 key must be at least as long as the hash (256 bits).
  if (secret !== undefined && secret.length < 32) throw new Error('JWT_SECRET must be at least 32 characters');
  return { mode, jwksUrl, secret, issuer, audience, jwksCooldownMs };
}

function budgetConfig(env: Env, auth: AuthConfig, maxCost: number): BudgetConfig | null {
  const explicit = env.COST_BUDGET !== undefined && env.COST_BUDGET !== '';
  const points = integer(env, 'COST_BUDGET', Math.min(Number.MAX_SAFE_INTEGER, 10 * maxCost), 1);
  const restorePerSecond = integer(env, 'COST_RESTORE_PER_SECOND', maxCost, 1);
  const redisUrl = env.REDIS_URL || undefined;
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) {
    throw new Error(`REDIS_URL must start with "redis://" or "rediss://", got "${redisUrl}"`);
  }
  if (auth.mode === 'none' && !explicit) return null;
  // A bucket smaller than the largest query would refuse that query forever.
  if (points < maxCost) throw new Error(`COST_BUDGET (${points}) must be at least MAX_COST (${maxCost})`);
  return Object.freeze({ points, restorePerSecond, redisUrl });
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
