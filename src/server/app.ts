import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { AuthConfig } from '../config.js';
import type { DataSource } from '../data/data-source.js';
import type { WorkerPool } from '../executor/pool.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics/metrics.js';
import type { Context, PageSizes } from '../schema/context.js';
import { schema } from '../schema/index.js';
import { isTracing } from '../telemetry/tracing.js';
import type { CostBudgets } from './cost-budgets.js';
import { useExecuteInPool } from './execute-in-pool.js';
import { type HardeningOptions, hardeningPlugins } from './hardening.js';
import { answerProbe, type Health } from './health.js';
import { answerMetrics } from './metrics-route.js';
import { observeRequests } from './observe-requests.js';
import { useAuthentication } from './use-authentication.js';
import { useCostBudget } from './use-cost-budget.js';
import { useCostShown } from './use-cost-shown.js';
import { useJsonBodies } from './use-json-bodies.js';
import { useRequestRecord } from './use-request-record.js';
import { useTracing } from './use-tracing.js';

/** Where operations run: the worker pool, or the main thread (for comparison only). */
export type Executor = { kind: 'workers'; pool: WorkerPool } | { kind: 'inline'; dataSource: DataSource };

export interface GraphQLHandlerOptions extends HardeningOptions {
  executor: Executor;
  pageSizes: PageSizes;
  logger: Logger;
  /** `GRAPHIQL`: serve GraphiQL to browsers at /graphql. */
  graphiql: boolean;
  /** `SLICE_SIZE`: pages of more clients are sent in slices of this many (worker mode); 0: whole. */
  sliceSize: number;
  /** `AUTH` and the `JWT_*` settings. */
  auth: AuthConfig;
  /** `TRUST_PROXY_HOPS`. */
  trustProxyHops: number;
  /** The callers' cost budgets, when they apply. */
  budgets?: CostBudgets;
}

export type GraphQLHandler = YogaServerInstance<Record<string, never>, Partial<Context>>;

const exampleQuery = `# Page through clients: pass pageInfo.endCursor as \`after\` for the next page.
query Clients($after: String) {
  clients(first: 10, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id
        databaseId
        str1
        address { str1 str2 }
        bankAccounts(first: 3) { edges { node { databaseId str1 } } }
      }
    }
  }
}
`;

/** The yoga app at /graphql, with the bundled GraphiQL (no CDN). It never listens. */
export function createGraphQLHandler(options: GraphQLHandlerOptions): GraphQLHandler {
  const { executor, pageSizes, logger } = options;
  return createYoga<Record<string, never>, Partial<Context>>({
    schema,
    graphqlEndpoint: '/graphql',
    renderGraphiQL,
    graphiql: options.graphiql && { title: 'Clients query service', defaultQuery: exampleQuery },
    maxRequestBodySize: options.limits.bodyBytes,
    landingPage: false,
    logging: logger,
    context: executor.kind === 'inline' ? () => ({ dataSource: executor.dataSource, pageSizes }) : undefined,
    plugins: [
      useRequestRecord(),
      useJsonBodies(),
      ...(isTracing() ? [useTracing()] : []),
      useCostShown({ maxCost: options.limits.cost }),
      useAuthentication({ auth: options.auth, trustProxyHops: options.trustProxyHops, logger }),
      ...hardeningPlugins(options),
      ...(options.budgets ? [useCostBudget(options.budgets)] : []),
      ...(executor.kind === 'workers'
        ? [useExecuteInPool(executor.pool, { logger, sliceSize: options.sliceSize })]
        : []),
    ],
  });
}

const startingBody = JSON.stringify({
  errors: [{ message: 'The service is starting. Retry shortly.', extensions: { code: 'UNAVAILABLE' } }],
});

/**
 * The node:http listener: probes and metrics first (answered here, whatever else is going on),
 * then GraphQL once the handler exists, 503 before. Every request is logged once.
 */
export function createRequestListener(
  health: Health,
  graphql: () => GraphQLHandler | undefined,
  metrics: Metrics,
  logger: Logger,
): RequestListener {
  return observeRequests(logger, metrics.requests, (request: IncomingMessage, response: ServerResponse) => {
    // Keep-alive callers (a proxy, or clients connected straight to the pod) must reconnect to
    // another replica: without this, each open connection holds the process for keepAliveTimeout.
    if (health.reason() === 'draining') response.setHeader('connection', 'close');
    if (answerProbe(request, response, health)) return;
    if (answerMetrics(request, response, metrics.registry, logger)) return;
    const handler = graphql();
    if (handler) {
      handler(request, response);
      return;
    }
    response.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '1' });
    response.end(startingBody);
  });
}
