import assert from 'node:assert/strict';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { type IncomingMessage, request } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { seedSqlite } from '../../src/data/seed-sqlite.js';
import { createTemporaryFolder, createTestDatabase } from '../helpers/database.js';
import { growth, scrape } from '../helpers/metrics.js';
import { spawnService, waitFor } from '../helpers/process.js';
import { exportQuery } from '../helpers/queries.js';
import { postGraphQL, startTestServer } from '../helpers/server.js';

const small = '{ clients(first: 2) { edges { node { databaseId } } } }';

test('a worker that runs out of heap costs only its operation: INTERNAL_SERVER_ERROR, then it is replaced', async (t) => {
  const database = createTestDatabase(t, 20_000, 'full');
  const server = await startTestServer(t, {
    DATABASE_URL: database.url,
    MAX_PAGE_SIZE: '20000',
    WORKER_MAX_HEAP_MB: '64',
    // The page executed whole by graphql-jit, as a single task, holds far more than 64 MB.
    SLICE_SIZE: '0',
    PLANNER: 'false',
  });
  const before = await scrape(server.url);
  const exporting = server.graphql(exportQuery(20_000));
  // Queued behind the export on the only worker: it must survive that worker's death and run on its replacement.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const queued = server.graphql(small);
  const failed = await exporting;
  assert.equal(failed.status, 500, failed.text.slice(0, 300));
  assert.equal(failed.json.errors[0].extensions.code, 'INTERNAL_SERVER_ERROR');
  assert.match(failed.json.errors[0].message, /worker running it stopped/);
  assert.doesNotMatch(failed.text, /heap|memory|stack|\.js:/i);
  const served = await queued;
  assert.equal(served.status, 200, served.text);
  assert.equal(served.json.data.clients.edges.length, 2);
  assert.equal((await server.graphql(small)).status, 200);
  const after = await scrape(server.url);
  assert.equal(growth(before, after, 'worker_pool_workers_replaced_total'), 1);
  assert.equal(growth(before, after, 'worker_pool_run_seconds_count'), 2, 'the queued page ran on the new worker');
});

test('sent in slices, the same export fits that heap: memory is bounded by the slice, not the page', async (t) => {
  const database = createTestDatabase(t, 20_000, 'full');
  const server = await startTestServer(t, {
    DATABASE_URL: database.url,
    MAX_PAGE_SIZE: '20000',
    WORKER_MAX_HEAP_MB: '64',
  });
  const reply = await server.graphql(exportQuery(20_000));
  assert.equal(reply.status, 200, reply.text.slice(0, 300));
  assert.equal(reply.json.data.clients.edges.length, 20_000);
  assert.equal((await scrape(server.url)).get('worker_pool_workers_replaced_total'), 0);
});

/**
 * Starts the 40,000-client export with node's client, which reads nothing of the body until
 * `read()`: unread, the response holds its place however fast the service makes it.
 * `abort()` is the caller going away.
 */
function startExport(url: string) {
  const req = request(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' } });
  const answered = new Promise<IncomingMessage>((resolve, reject) => {
    req.once('response', (response) => resolve(response.pause()));
    req.once('error', reject);
  });
  answered.catch(() => {});
  req.end(JSON.stringify({ query: exportQuery(40_000) }));
  return {
    answered,
    abort: () => req.destroy(),
    /** Reads the body: the status when it ended complete. */
    read: async () => {
      const response = await answered;
      response.resume();
      await once(response, 'end');
      return response.complete ? response.statusCode : 'incomplete';
    },
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a client that disconnects stops its operation at the next slice and frees the slot, costing no worker', async (t) => {
  const database = createTestDatabase(t, 40_000, 'seed');
  const server = await startTestServer(t, {
    DATABASE_URL: database.url,
    MAX_PAGE_SIZE: '40000',
    MAX_QUEUE: '0',
  });
  // Control: while an export is being sent (no queue), another operation is refused.
  const running = startExport(server.url);
  await running.answered;
  assert.equal((await server.graphql(small)).status, 503, 'the export holds the only slot');
  // The caller goes away: the task running for it ends (a slice at most), then the slot is free again.
  running.abort();
  const freed = performance.now();
  await waitFor(async () => (await server.graphql(small)).status === 200, 5_000);
  assert.ok(performance.now() - freed < 2_000, 'freed within one task');
  // Stopped between slices: the worker was not killed for it.
  assert.equal((await scrape(server.url)).get('worker_pool_workers_replaced_total'), 0);
});

test('a queued operation whose client disconnects gives its place back', async (t) => {
  const database = createTestDatabase(t, 40_000, 'seed');
  const server = await startTestServer(t, {
    DATABASE_URL: database.url,
    MAX_PAGE_SIZE: '40000',
    MAX_QUEUE: '1',
    // The export executed whole, one task of a second or more, so the next one waits in the queue.
    SLICE_SIZE: '0',
    PLANNER: 'false',
  });
  const running = startExport(server.url);
  await pause(200);
  const queued = startExport(server.url);
  await pause(200);
  assert.equal((await server.graphql(small)).status, 503, 'running + queued fill the pool');
  queued.abort();
  await assert.rejects(queued.answered);
  await waitFor(async () => (await server.graphql(small)).status === 200, 5_000);
  assert.equal(await running.read(), 200);
});

test('a replacement worker that cannot open the database is logged, and the process lives on', async (t) => {
  const folder = createTemporaryFolder(t);
  const path = join(folder, 'clients.db');
  seedSqlite({ path, clients: 40_000, profile: 'seed' });
  const service = await spawnService(t, {
    DATABASE_URL: `file:${path}`,
    MAX_PAGE_SIZE: '40000',
    REQUEST_TIMEOUT_MS: '300',
    // One slow task, so that the deadline stops the worker and piscina starts another.
    SLICE_SIZE: '0',
    PLANNER: 'false',
  });
  await waitFor(async () => (await fetch(`${service.url}/readyz`)).ok, 20_000);
  rmSync(folder, { recursive: true, force: true });
  const reply = await postGraphQL(service.url, exportQuery(40_000));
  assert.equal(reply.status, 504);
  await waitFor(
    async () => service.lines.some((line) => line.includes('a worker failed outside any operation')),
    10_000,
  );
  assert.equal((await fetch(`${service.url}/livez`)).status, 200, 'the process still answers');
  assert.equal(service.child.exitCode, null);
});
