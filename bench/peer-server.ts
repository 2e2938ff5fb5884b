import { createServer } from 'node:http';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { createYoga } from 'graphql-yoga';
import { openDataSource } from '../src/data/open-data-source.js';
import { schema } from '../src/schema/index.js';
import { loadIntoMemory } from './lib/memory-data-source.js';

/**
 * A peer to compare against: graphql-yoga + Pothos on the main thread with @envelop/graphql-jit,
 * what a Node user would reach for first to make the same schema faster. Same schema, same data,
 * read from the database, or with `memory` every row loaded into memory first (issue 12's peer
 * "holding the same objects in memory").
 * Usage: node peer-server.js <DATABASE_URL> <MAX_PAGE_SIZE> [memory]
 */
const [databaseUrl = '', maxSize = '100', where = 'database'] = process.argv.slice(2);
const dataSource =
  where === 'memory'
    ? await loadIntoMemory(databaseUrl)
    : openDataSource(databaseUrl, { poolSize: 2, statementTimeoutMs: 600_000 });
const pageSizes = { defaultSize: 20, maxSize: Number(maxSize) };
const yoga = createYoga({
  schema,
  logging: false,
  context: () => ({ dataSource, pageSizes }),
  plugins: [useGraphQlJit()],
});
const server = createServer(yoga);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(
    `${JSON.stringify({ msg: 'listening', port: typeof address === 'object' ? address?.port : 0 })}\n`,
  );
});
