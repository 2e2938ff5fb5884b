import Database from 'better-sqlite3';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { clientOrderings } from '../src/data/client-queries.js';
import { type ClientOrder, clientOrders } from '../src/data/data-source.js';
import { parseDatabaseUrl } from '../src/data/open-data-source.js';
import { createLogger } from '../src/logger.js';
import { clientCursors } from '../src/schema/clients.js';
import { encodeCursor } from '../src/schema/cursors.js';
import { startService } from '../src/service.js';
import { benchDatabase, benchPostgresDatabase } from './lib/database.js';
import { dataOf, percentile, postOperation } from './lib/http.js';

/**
 * Does a deep page cost what the first one costs? With 1,000,000 clients, per backend and
 * ordering: the page of 20 after row 990,000 against page 1 (median of interleaved requests,
 * with nested fields and the exact page flags), then the throughput of first: 100 pages with
 * nested fields from CALLERS concurrent callers paging forward.
 * Usage: npm run bench:deep-pages   (CLIENTS, REPEATS, CALLERS, THROUGHPUT_SECONDS, BACKENDS=sqlite,postgres)
 */
const clients = Number(process.env.CLIENTS ?? 1_000_000);
const depth = Math.floor(clients * 0.99);
const repeats = Number(process.env.REPEATS ?? 100);
const callers = Number(process.env.CALLERS ?? 4);
const throughputMs = Number(process.env.THROUGHPUT_SECONDS ?? 10) * 1000;
const backends = (process.env.BACKENDS ?? 'sqlite,postgres').split(',');

const nested =
  'id databaseId str1 str2 address { id str1 } bankAccounts(first: 2) { edges { node { databaseId str1 } } }';
const pageQuery = `query ($first: Int, $after: String, $orderBy: ClientOrder) {
  clients(first: $first, after: $after, orderBy: $orderBy) {
    edges { cursor node { ${nested} } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`;

/** The key of the row at `offset` in `order`, read straight from the database (OFFSET is fine once). */
async function keyAt(url: string, order: ClientOrder, offset: number): Promise<{ value?: string | null; id: number }> {
  const { column, ascending } = clientOrderings[order];
  const direction = ascending ? 'ASC' : 'DESC';
  const orderBy = column === 'id' ? `id ${direction}` : `${column} ${direction}, id ${direction}`;
  const sql = `SELECT id, ${column === 'id' ? 'NULL' : column} AS value FROM clients WHERE ${column} IS NOT NULL ORDER BY ${orderBy} LIMIT 1 OFFSET ${offset}`;
  const location = parseDatabaseUrl(url);
  let row: { id: number; value: string | null };
  if (location.kind === 'sqlite') {
    const db = new Database(location.path, { readonly: true });
    row = db.prepare(sql).get() as typeof row;
    db.close();
  } else {
    const client = new pg.Client({ connectionString: location.url });
    await client.connect();
    row = (await client.query(sql)).rows[0];
    await client.end();
  }
  return column === 'id' ? { id: row.id } : { value: row.value, id: row.id };
}

/** Times one page; a page with GraphQL errors (a refused cursor, a timeout) stops the run. */
async function sample(url: string, variables: object, samples: number[]): Promise<void> {
  const reply = await postOperation(url, pageQuery, variables, true);
  const edges = (dataOf(reply).clients as { edges: unknown[] }).edges;
  if (edges.length !== 20) throw new Error(`a page of ${edges.length} clients, not 20`);
  samples.push(reply.ms);
}

interface Row {
  backend: string;
  order: string;
  firstMs: number;
  deepMs: number;
  ratio: number;
}

async function measureBackend(backend: string, databaseUrl: string): Promise<{ rows: Row[]; throughput: string }> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, MAX_PAGE_SIZE: '100' });
  const service = await startService(config, createLogger('silent'));
  const rows: Row[] = [];
  try {
    for (const order of clientOrders) {
      const key = await keyAt(databaseUrl, order, depth - 1);
      const after = encodeCursor(clientCursors(order, {}), key);
      const first: number[] = [];
      const deep: number[] = [];
      for (let i = 0; i < 10; i++) {
        await sample(service.url, { first: 20, orderBy: order }, []);
        await sample(service.url, { first: 20, orderBy: order, after }, []);
      }
      for (let i = 0; i < repeats; i++) {
        await sample(service.url, { first: 20, orderBy: order }, first);
        await sample(service.url, { first: 20, orderBy: order, after }, deep);
      }
      const [firstMs, deepMs] = [percentile(first, 50), percentile(deep, 50)];
      rows.push({ backend, order, firstMs, deepMs, ratio: deepMs / firstMs });
    }
    const latencies: number[] = [];
    const until = performance.now() + throughputMs;
    await Promise.all(
      Array.from({ length: callers }, async () => {
        let after: string | null = null;
        while (performance.now() < until) {
          const reply = await postOperation(service.url, pageQuery, { first: 100, after }, true);
          const page = dataOf(reply).clients as { pageInfo: { endCursor: string | null } };
          latencies.push(reply.ms);
          after = page.pageInfo.endCursor;
        }
      }),
    );
    const perSecond = latencies.length / (throughputMs / 1000);
    const throughput = `${backend}: ${perSecond.toFixed(1)} pages/s (${(perSecond * 100).toFixed(0)} clients/s), p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`;
    return { rows, throughput };
  } finally {
    await service.close();
  }
}

const results: Row[] = [];
const throughputs: string[] = [];
for (const backend of backends) {
  const url = backend === 'postgres' ? await benchPostgresDatabase(clients, 'full') : benchDatabase(clients, 'full');
  const { rows, throughput } = await measureBackend(backend, url);
  results.push(...rows);
  throughputs.push(throughput);
}

console.log(
  `\nDeep pages: first: 20 after row ${depth.toLocaleString('en')} of ${clients.toLocaleString('en')} vs page 1 (median of ${repeats}, interleaved)`,
);
console.log('| backend | ordering | page 1 ms | deep page ms | deep / page 1 |');
console.log('| --- | --- | --- | --- | --- |');
for (const row of results) {
  console.log(
    `| ${row.backend} | ${row.order} | ${row.firstMs.toFixed(2)} | ${row.deepMs.toFixed(2)} | ${row.ratio.toFixed(2)}x |`,
  );
}
console.log(
  `\nThroughput of first: 100 pages with nested fields, ${callers} callers paging forward, ${throughputMs / 1000} s:`,
);
for (const line of throughputs) console.log(`- ${line}`);
