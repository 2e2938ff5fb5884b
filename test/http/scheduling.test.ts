import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createTestDatabase } from '../helpers/database.js';
import { growth, scrape } from '../helpers/metrics.js';
import { everyClientField } from '../helpers/queries.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const database = createTestDatabase({ after }, 3000);
const bigPage = `{ clients(first: 3000) { edges { cursor node { id str1 str2 str3 str4 address { id str1 str2 }
  bankAccounts { edges { node { id str1 str2 str3 address { str1 } } } } } } } }`;
const smallPage = '{ clients(first: 20) { edges { node { id str1 address { str1 } } } } }';

/** Starts a request and answers when it finished, in ms since `since`. */
const finish = (server: TestServer, query: string, since: number) =>
  server.graphql(query).then((reply) => {
    assert.equal(reply.status, 200, reply.text.slice(0, 200));
    return performance.now() - since;
  });

/** Starts 3 exports, then a small page: when the small page and the first and second exports finished. */
async function smallPageAmongExports(server: TestServer) {
  const started = performance.now();
  const exports = [0, 1, 2].map(() => finish(server, bigPage, started));
  await new Promise((resolve) => setTimeout(resolve, 50));
  const small = await finish(server, smallPage, started);
  const [firstExport = 0, secondExport = 0] = (await Promise.all(exports)).sort((a, b) => a - b);
  const report = `small page after ${small} ms, exports after ${firstExport} and ${secondExport} ms`;
  return { small, firstExport, secondExport, report };
}

// One worker, and pages of 3,000 clients sent in 30 slices of 100.
// The executor (PLANNER=false) makes each slice slow enough for the order of events to be measured.
const env = { DATABASE_URL: database.url, MAX_PAGE_SIZE: '3000', WORKERS: '1', SLICE_SIZE: '100', PLANNER: 'false' };

test('with a single worker, a small page runs between the slices of exports and finishes before them', async () => {
  const { small, firstExport, report } = await smallPageAmongExports(await startTestServer({ after }, env));
  assert.ok(small < 0.5 * firstExport, report);
});

test('concurrent exports share the worker slice by slice: they finish together, not one after the other', async () => {
  const server = await startTestServer({ after }, env);
  const before = await scrape(server.url);
  const started = performance.now();
  const [first, second] = await Promise.all([finish(server, bigPage, started), finish(server, bigPage, started)]);
  const done = await scrape(server.url);
  assert.equal(growth(before, done, 'graphql_response_slices_total'), 2 * 29);
  // One after the other, the first would end at about half the time of the second.
  assert.ok(Math.min(first, second) > 0.75 * Math.max(first, second), `exports ended at ${first} and ${second} ms`);
});

test('with SLICE_SIZE=0 the same small page waits behind whole exports (the blocking slices remove)', async () => {
  const server = await startTestServer({ after }, { ...env, SLICE_SIZE: '0' });
  const { small, firstExport, secondExport, report } = await smallPageAmongExports(server);
  // It waits for the whole export that is running, where slices made it wait for one slice at most.
  assert.ok(small > 0.5 * firstExport, report);
  // But only for that one: the exports that waited longer do not go ahead of it.
  assert.ok(small < secondExport, report);
});

test('small pages in a steady stream do not starve an export: its slices still get turns', async () => {
  const server = await startTestServer({ after }, env);
  // Every field: cost 4,200, a small operation, and long enough that 8 callers keep the queue full.
  const pageOf100 = `{ clients(first: 100) { edges { cursor node { ${everyClientField} } } } }`;
  let exported = false;
  const exporting = finish(server, bigPage, performance.now()).then((ms) => {
    exported = true;
    return ms;
  });
  let pages = 0;
  // Eight callers keep the only worker busy with small pages for as long as the export runs (20 s at most).
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (!exported && performance.now() - started < 20_000) {
        await finish(server, pageOf100, 0);
        pages++;
      }
    }),
  );
  assert.ok(exported, `the export did not finish in 20 s while ${pages} small pages were served`);
  assert.ok(pages > 20, `${pages} small pages served meanwhile`);
  await exporting;
});
