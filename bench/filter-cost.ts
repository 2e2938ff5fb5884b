import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { countedRowsPerPoint, rowsPerPoint } from '../src/server/query-cost.js';
import { startService } from '../src/service.js';
import { benchDatabase, benchPostgresDatabase } from './lib/database.js';
import { percentile, postOperation } from './lib/http.js';
import { allFields } from './lib/queries.js';

/**
 * What a row that a filter scans costs against an object returned, the ratio behind
 * `rowsPerPoint` in src/server/query-cost.ts (filters and counts are priced at one point per that
 * many rows they may read). Per backend: a filter that matches nothing, with its totalCount (2
 * scans of every client, no object returned), an unfiltered totalCount, and a full page of 100 clients with every field and their
 * accounts (the objects it returned, as extensions.cost.actual counts them); each less a trivial
 * operation's time, median of interleaved requests.
 * Usage: npm run bench:filter-cost   (CLIENTS=40000, REPEATS=30, BACKENDS=sqlite,postgres)
 */
const clients = Number(process.env.CLIENTS ?? 40_000);
const repeats = Number(process.env.REPEATS ?? 30);
const backends = (process.env.BACKENDS ?? 'sqlite,postgres').split(',');

const scan = '{ clients(first: 1, filter: { str3: { startsWith: "~~~" } }) { totalCount edges { node { id } } } }';
const objects = `{ clients(first: 100) { edges { node { ${allFields} } } } }`;
const count = '{ clients(first: 0) { totalCount } }';
const trivial = '{ __typename }';

async function medianMs(url: string, query: string): Promise<{ ms: number; actual: number }> {
  const samples: number[] = [];
  let actual = 0;
  for (let i = 0; i < repeats; i++) {
    const reply = await postOperation(url, query, {}, true);
    if (reply.status !== 200) throw new Error(`HTTP ${reply.status}: ${String(reply.body).slice(0, 200)}`);
    const body = JSON.parse(String(reply.body));
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    actual = body.extensions.cost.actual;
    samples.push(reply.ms);
  }
  return { ms: percentile(samples, 50), actual };
}

console.log(`\nFilter scan vs returned objects, ${clients.toLocaleString('en')} clients (median of ${repeats})`);
console.log(
  '| backend | scan of every client | per row scanned | per row counted, unfiltered | per object returned | rows scanned per object | rows counted per object |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const backend of backends) {
  const url = backend === 'postgres' ? await benchPostgresDatabase(clients, 'full') : benchDatabase(clients, 'full');
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: url, MAX_COST: '100000000' });
  const service = await startService(config, createLogger('silent'));
  try {
    for (const query of [trivial, scan, count, objects]) await medianMs(service.url, query);
    const base = await medianMs(service.url, trivial);
    const scanned = await medianMs(service.url, scan);
    const counted = await medianMs(service.url, count);
    const returned = await medianMs(service.url, objects);
    const perRow = (scanned.ms - base.ms) / (2 * clients);
    const perCounted = (counted.ms - base.ms) / clients;
    const perObject = (returned.ms - base.ms) / returned.actual;
    console.log(
      `| ${backend} | ${(scanned.ms - base.ms).toFixed(1)} ms per scan pair | ${(perRow * 1e6).toFixed(0)} ns | ${(perCounted * 1e6).toFixed(0)} ns | ${(perObject * 1e3).toFixed(1)} us (${returned.actual} objects) | ${(perObject / perRow).toFixed(0)} | ${(perObject / perCounted).toFixed(0)} |`,
    );
  } finally {
    await service.close();
  }
}
console.log(
  `\nsrc/server/query-cost.ts: rowsPerPoint ${rowsPerPoint}, countedRowsPerPoint ${countedRowsPerPoint} (keep each at or below the smallest ratio seen)`,
);
