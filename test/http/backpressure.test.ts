import assert from 'node:assert/strict';
import { type IncomingMessage, request } from 'node:http';
import { test } from 'node:test';
import { createDedicatedPostgresDatabase, postgresSkipReason } from '../helpers/backends.js';
import { createTestDatabase } from '../helpers/database.js';
import { growth, scrape } from '../helpers/metrics.js';
import { waitFor } from '../helpers/process.js';
import { exportQuery } from '../helpers/queries.js';
import { startTestServer } from '../helpers/server.js';

const bigPage = (size: number) =>
  `{ clients(first: ${size}) { edges { cursor node { id str1 address { id str1 } bankAccounts { edges { node { id } } } } } } }`;

test('a full queue answers 503 UNAVAILABLE with Retry-After at once and readiness 503; queued work still completes', async (t) => {
  const database = createTestDatabase(t, 20_000, 'seed');
  const server = await startTestServer(t, {
    DATABASE_URL: database.url,
    MAX_PAGE_SIZE: '20000',
    WORKERS: '1',
    MAX_QUEUE: '1',
    // The executor, slow enough that the queue is still full when readiness is asked.
    PLANNER: 'false',
  });
  const started = performance.now();
  const pending = Promise.all(
    [0, 1, 2].map(async () => {
      const reply = await server.graphql(bigPage(20_000));
      return { ...reply, ms: performance.now() - started };
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  const saturated = await fetch(`${server.url}/readyz`);
  assert.equal(saturated.status, 503, 'not ready while the queue is full');
  assert.match(await saturated.text(), /saturated/);
  const replies = await pending;
  assert.equal((await fetch(`${server.url}/readyz`)).status, 200, 'ready again once the queue drained');
  const rejected = replies.filter((reply) => reply.status === 503);
  const served = replies.filter((reply) => reply.status === 200);
  assert.equal(rejected.length, 1, replies.map((reply) => reply.status).join());
  assert.equal(served.length, 2);
  const [refusal] = rejected;
  assert.equal(refusal?.json.errors[0].extensions.code, 'UNAVAILABLE');
  assert.equal(refusal?.headers.get('retry-after'), '1');
  assert.ok(Math.min(...served.map((reply) => reply.ms)) > (refusal?.ms ?? 0), 'refused before any export finished');
  for (const reply of served) assert.equal(reply.json.data.clients.edges.length, 20_000);

  const after = await server.graphql(bigPage(20_000));
  assert.equal(after.status, 200, 'the queue drained');
  assert.equal(after.json.data.clients.edges.length, 20_000);
});

test('a page executed whole past REQUEST_TIMEOUT_MS answers 504 TIMEOUT, and the pool replaces the worker', async (t) => {
  const database = createTestDatabase(t, 40_000, 'seed');
  const server = await startTestServer(t, {
    DATABASE_URL: database.url,
    MAX_PAGE_SIZE: '40000',
    REQUEST_TIMEOUT_MS: '300',
    // One task executing the whole page: far longer than 300 ms.
    SLICE_SIZE: '0',
    PLANNER: 'false',
  });
  const before = await scrape(server.url);
  const reply = await server.graphql(bigPage(40_000));
  assert.equal(reply.status, 504, reply.text.slice(0, 200));
  assert.equal(reply.json.errors[0].extensions.code, 'TIMEOUT');
  assert.match(reply.json.errors[0].message, /300 ms/);
  await waitFor(
    async () => growth(before, await scrape(server.url), 'worker_pool_workers_replaced_total') === 1,
    10_000,
  );
  const next = await server.graphql('{ clients(first: 1) { edges { node { databaseId } } } }');
  assert.deepEqual(next.json.data, { clients: { edges: [{ node: { databaseId: 1 } }] } });
});

/** Starts a request with node's client and answers its response, unread (paused). */
function openResponse(url: string, query: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    req.on('response', (response) => {
      response.pause();
      resolve(response);
    });
    req.on('error', reject);
    req.end(JSON.stringify({ query }));
  });
}

/** Reads a response to its end; rejects when it ends abnormally (no terminating chunk). */
function readAll(response: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => (response.complete ? resolve(Buffer.concat(chunks)) : reject(new Error('incomplete'))));
    response.on('error', reject);
    response.on('aborted', () => reject(new Error('aborted')));
    response.resume();
  });
}

const slicesRun = async (url: string) => (await scrape(url)).get('worker_pool_run_seconds_count') ?? 0;

test('a reader that stops reading stops production after a few slices; reading on gets the whole body', async (t) => {
  const database = createTestDatabase(t, 40_000, 'full');
  const server = await startTestServer(t, { DATABASE_URL: database.url, MAX_PAGE_SIZE: '40000', SLICE_SIZE: '500' });
  const before = await slicesRun(server.url);
  const response = await openResponse(server.url, exportQuery(40_000));
  // Production fills what the stream, the socket and this client buffer, then stops: wait until
  // the count holds still for a second (however loaded the machine), then check where it stopped.
  let paused = -1;
  for (let ran = 0; ran !== paused; await new Promise((resolve) => setTimeout(resolve, 1000))) {
    paused = ran;
    ran = (await slicesRun(server.url)) - before;
  }
  // The first task, then all 80 slices: the database writes these edges, so none is made in the first task.
  assert.ok(paused < 40, `${paused} of 81 tasks ran before the reader paused production`);
  const body = JSON.parse((await readAll(response)).toString());
  assert.equal(body.data.clients.edges.length, 40_000);
  assert.equal((await slicesRun(server.url)) - before, 81);
});

test('the deadline covers sending: a reader too slow for REQUEST_TIMEOUT_MS gets a body cut short, never a short well-formed one', async (t) => {
  const database = createTestDatabase(t, 40_000, 'full');
  const server = await startTestServer(t, {
    DATABASE_URL: database.url,
    MAX_PAGE_SIZE: '40000',
    SLICE_SIZE: '500',
    REQUEST_TIMEOUT_MS: '1500',
  });
  const before = await scrape(server.url);
  const response = await openResponse(server.url, exportQuery(40_000));
  assert.equal(response.statusCode, 200, 'the status went out with the first slice');
  await new Promise((resolve) => setTimeout(resolve, 2500));
  await assert.rejects(readAll(response));
  const after = await scrape(server.url);
  assert.equal(growth(before, after, 'graphql_responses_cut_short_total{code="TIMEOUT"}'), 1);
  assert.equal(growth(before, after, 'worker_pool_timed_out_total'), 1);
  assert.equal((await server.graphql('{ clients(first: 1) { totalCount } }')).json.data.clients.totalCount, 40_000);
});

test('PostgreSQL going away in the middle of a body sent in slices: the body is cut short', {
  skip: postgresSkipReason,
}, async (t) => {
  const database = await createDedicatedPostgresDatabase(t, 20_000);
  const server = await startTestServer(t, { DATABASE_URL: database.url, MAX_PAGE_SIZE: '20000', SLICE_SIZE: '500' });
  const before = await scrape(server.url);
  const response = await openResponse(server.url, exportQuery(20_000));
  assert.equal(response.statusCode, 200);
  await database.goAway();
  await assert.rejects(readAll(response));
  const after = await scrape(server.url);
  assert.equal(growth(before, after, 'graphql_responses_cut_short_total{code="UNAVAILABLE"}'), 1);
});
