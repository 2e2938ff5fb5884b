import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.js';
import { checkDataSource, openDataSource, parseDatabaseUrl, redactDatabaseUrl } from './data/open-data-source.js';
import { type DatabaseWatch, watchPostgres } from './data/postgres-watch.js';
import { preparePostgres } from './data/seed-postgres.js';
import { ensureSqliteInThread } from './data/seed-thread.js';
import { createWorkerPool } from './executor/pool.js';
import type { Logger } from './logger.js';
import { createMetrics, type Metrics, observeBudgetStore } from './metrics/metrics.js';
import { createGraphQLHandler, createRequestListener, type Executor, type GraphQLHandler } from './server/app.js';
import { internalCall } from './server/caller.js';
import { createCostBudgets } from './server/cost-budgets.js';
import { trackConnections } from './server/drain.js';
import { createHealth, type Health } from './server/health.js';
import { startTracing } from './telemetry/tracing.js';

export interface Service {
  server: Server;
  health: Health;
  /** `http://127.0.0.1:<port>`, with the port actually bound (PORT=0 picks a free one). */
  url: string;
  /**
   * Turns readiness 503, stops accepting, lets in-flight requests finish for up to
   * `SHUTDOWN_GRACE_MS` (then cuts the connections left), then closes the pool and the database,
   * and sends the spans still held (each thread's within `OTEL_EXPORTER_OTLP_TIMEOUT`).
   */
  close(): Promise<void>;
}

/**
 * Listens first (liveness answers at once, readiness says "starting"), then creates the
 * embedded database if missing, starts and warms the workers, and turns ready.
 */
export async function startService(config: Config, logger: Logger): Promise<Service> {
  // First, so that every request is traced; the workers start their own from the same settings.
  const tracing = await startTracing(config.tracing, (message) => logger.warn(`tracing: ${message}`));
  const health = createHealth();
  let graphql: GraphQLHandler | undefined;
  const metrics = createMetrics();
  const server = createServer(createRequestListener(health, () => graphql, metrics, logger));
  const connections = trackConnections(server);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  }).catch(async (error) => {
    await tracing.stop();
    throw error;
  });
  const { port } = server.address() as AddressInfo;
  logger.info({ port, host: config.host }, 'listening');

  if (config.auth.mode === 'none') logger.warn('AUTH=none: the API is open to anyone who reaches this port');
  let executor: Executor | undefined;
  const budgets = config.budget ? createCostBudgets(config.budget, logger) : undefined;
  if (budgets) observeBudgetStore(metrics.registry, budgets.isShared);
  let clientRows = 0;
  let counting: NodeJS.Timeout | undefined;
  try {
    await ensureDatabase(config, logger);
    executor = await startExecutor(config, metrics, logger);
    const handler = createGraphQLHandler({
      ...config,
      executor,
      pageSizes: pageSizes(config),
      logger,
      budgets,
      clientRows: () => clientRows,
    });
    clientRows = await warmUp(handler);
    counting = setInterval(() => {
      countClients(handler).then(
        (count) => {
          clientRows = count;
        },
        (error: Error) => logger.warn({ err: error }, 'could not count the clients; filters keep the last count'),
      );
    }, clientCountIntervalMs).unref();
    graphql = handler;
    if (executor.kind === 'workers') health.setBusyCheck(executor.pool.isSaturated);
  } catch (error) {
    server.close();
    if (executor) await closeExecutor(executor);
    await budgets?.close();
    await tracing.stop();
    throw error;
  }
  const watch = watchDatabase(config, health, logger);
  health.markReady();
  logger.info(
    { executor: config.executor, workers: config.workers, auth: config.auth.mode, traces: tracesTo(config) },
    'ready',
  );

  const started = executor;
  return {
    server,
    health,
    url: `http://127.0.0.1:${port}`,
    async close() {
      health.markNotReady('draining');
      await connections.close(config.shutdownGraceMs);
      clearInterval(counting);
      await watch?.stop();
      // The workers' spans are sent as the pool closes, the main thread's meanwhile: one export timeout in all.
      await Promise.all([closeExecutor(started), tracing.stop()]);
      await budgets?.close();
    },
  };
}

/** Where spans go, for the log (without credentials a URL may hold); undefined when tracing is off. */
function tracesTo(config: Config): string | undefined {
  if (!config.tracing) return undefined;
  const url = new URL(config.tracing.url);
  url.username = '';
  url.password = '';
  return `${url.href} (${config.tracing.protocol})`;
}

const closeExecutor = (executor: Executor) =>
  executor.kind === 'workers' ? executor.pool.close() : executor.dataSource.close();

/**
 * One small operation through the whole main-thread path (yoga's parsing, validation and
 * response writing), so the first real callers do not pay for compiling it. Answers the
 * number of clients, which prices filters (query-cost.ts).
 */
const warmUp = (handler: GraphQLHandler) =>
  countClients(handler, '{ clients(first: 1) { totalCount edges { cursor node { id } } } }');

/** How often the number of clients is counted again for pricing filters. */
const clientCountIntervalMs = 60_000;

/** Counts the clients through the handler, as the service itself: no token, no budget. */
async function countClients(handler: GraphQLHandler, query = '{ clients(first: 0) { totalCount } }'): Promise<number> {
  const response = await handler.fetch(
    'http://localhost/graphql',
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) },
    internalCall(),
  );
  if (!response.ok) throw new Error(`counting the clients failed with HTTP ${response.status}`);
  const body = (await response.json()) as { data?: { clients?: { totalCount?: number } } };
  const count = body.data?.clients?.totalCount;
  if (typeof count !== 'number') throw new Error('counting the clients answered no totalCount');
  return count;
}

const pageSizes = (config: Config) => ({ defaultSize: config.defaultPageSize, maxSize: config.maxPageSize });

/** Creates missing tables and indexes; the embedded database is also created and seeded when missing. */
async function ensureDatabase(config: Config, logger: Logger): Promise<void> {
  const location = parseDatabaseUrl(config.databaseUrl);
  const started = performance.now();
  if (location.kind === 'postgres') {
    await preparePostgres(location.url).catch((error: Error) => {
      throw new Error(`${redactDatabaseUrl(location.url)}: ${error.message || String(error)}`);
    });
    return;
  }
  const missing = !existsSync(location.path);
  if (missing) logger.info({ path: location.path, clients: config.seedClients }, 'creating the embedded database');
  await ensureSqliteInThread({ path: location.path, clients: config.seedClients, profile: 'full' });
  if (missing) logger.info({ ms: Math.round(performance.now() - started) }, 'database created');
}

/** How often readiness checks that PostgreSQL answers. */
const databaseCheckIntervalMs = 2_000;

function watchDatabase(config: Config, health: Health, logger: Logger): DatabaseWatch | null {
  const location = parseDatabaseUrl(config.databaseUrl);
  if (location.kind !== 'postgres') return null;
  return watchPostgres(location.url, databaseCheckIntervalMs, (problem) => {
    health.setProblem('database', problem);
    if (problem) logger.warn({ problem }, 'not ready');
    else logger.info('database reachable again');
  });
}

const dataSourceOptions = (config: Config) => ({
  poolSize: config.pgPoolSize,
  statementTimeoutMs: config.requestTimeoutMs,
});

async function startExecutor(config: Config, metrics: Metrics, logger: Logger): Promise<Executor> {
  if (config.executor === 'inline') {
    const dataSource = openDataSource(config.databaseUrl, dataSourceOptions(config));
    await checkDataSource(dataSource, config.databaseUrl);
    return { kind: 'inline', dataSource };
  }
  const pool = createWorkerPool({
    workers: config.workers,
    maxQueue: config.maxQueue,
    timeoutMs: config.requestTimeoutMs,
    smallMaxCost: config.smallOperationMaxCost,
    maxHeapMb: config.workerMaxHeapMb,
    settings: {
      databaseUrl: config.databaseUrl,
      dataSource: dataSourceOptions(config),
      pageSizes: pageSizes(config),
      logLevel: config.logLevel,
      planner: config.planner,
      tracing: config.tracing,
    },
    metrics: metrics.pool,
    onWorkerError: (error) => logger.error({ err: error }, 'a worker failed outside any operation'),
  });
  await pool.warmUp();
  return { kind: 'workers', pool };
}
