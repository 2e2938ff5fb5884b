import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestDatabase } from '../helpers/database.js';
import { growth, scrape, seriesValue } from '../helpers/metrics.js';
import { waitFor } from '../helpers/process.js';
import { exportQuery } from '../helpers/queries.js';
import { startTestServer } from '../helpers/server.js';

const page = 'query Page($after: String) { clients(first: 5, after: $after) { edges { node { id str1 } } } }';
test('a scrape after real operations shows them: requests by operation, error codes, sizes, worker times', async (t) => {
  const database = createTestDatabase(t, 200);
  const server = await startTestServer(t, { DATABASE_URL: database.url });
  const before = await scrape(server.url);

  const replies = [
    await server.graphql(page),
    await server.graphql(page, { after: 'not-a-cursor' }),
    await server.graphql(page),
    await server.graphql('{ clients(first: 1) { totalCount } }'),
    await server.graphql('{ noSuchField }'),
  ];
  assert.deepEqual(
    replies.map((reply) => reply.status),
    [200, 200, 200, 200, 400],
  );
  const after = await scrape(server.url);

  const requests = (type: string, name: string) =>
    growth(before, after, `graphql_requests_total{operation_type="${type}",operation_name="${name}"}`);
  assert.equal(requests('query', 'Page'), 3);
  assert.equal(requests('query', '_other'), 1, 'anonymous operations fold into one label');
  assert.equal(requests('none', '_other'), 1, 'an invalid document counts, without an operation');
  assert.equal(growth(before, after, 'graphql_errors_total{code="BAD_USER_INPUT"}'), 1);
  assert.equal(growth(before, after, 'graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED"}'), 1);

  const executedBytes = replies.slice(0, 4).reduce((sum, reply) => sum + Buffer.byteLength(reply.text), 0);
  assert.equal(growth(before, after, 'graphql_response_size_bytes_sum{operation_type="query"}'), executedBytes);
  assert.equal(growth(before, after, 'graphql_response_size_bytes_count{operation_type="query"}'), 4);
  assert.equal(growth(before, after, 'graphql_request_duration_seconds_count{operation_type="query"}'), 4);

  // Measured in the worker, observed on the main thread: one per executed operation.
  assert.equal(growth(before, after, 'worker_pool_wait_seconds_count'), 4);
  assert.equal(growth(before, after, 'worker_pool_run_seconds_count'), 4);
  const runSeconds = growth(before, after, 'worker_pool_run_seconds_sum');
  const requestSeconds = growth(before, after, 'graphql_request_duration_seconds_sum{operation_type="query"}');
  assert.ok(runSeconds > 0 && runSeconds < requestSeconds, `run ${runSeconds} s within requests ${requestSeconds} s`);

  assert.equal(after.get('worker_pool_workers'), 1);
  assert.equal(growth(before, after, 'graphql_response_first_byte_seconds_count{operation_type="query"}'), 4);
  assert.equal(seriesValue(after, 'worker_pool_busy_workers'), 0);
  assert.equal(seriesValue(after, 'worker_pool_queue_length'), 0);
  const utilization = after.get('main_thread_event_loop_utilization_ratio') ?? -1;
  assert.ok(utilization > 0 && utilization <= 1, `ELU ${utilization}`);
  assert.ok(after.has('nodejs_eventloop_lag_seconds'));
  assert.ok((after.get('process_resident_memory_bytes') ?? 0) > 0);
});

test('operation names beyond the first 100 fold into one label, so the series stay bounded', async (t) => {
  const database = createTestDatabase(t, 10);
  const server = await startTestServer(t, { DATABASE_URL: database.url });
  for (let i = 0; i < 105; i++) await server.graphql(`query Name${i} { clients(first: 1) { totalCount } }`);
  const after = await scrape(server.url);
  const named = [...after.keys()].filter((series) => series.startsWith('graphql_requests_total{'));
  assert.equal(named.length, 101);
  assert.equal(after.get('graphql_requests_total{operation_type="query",operation_name="_other"}'), 5);
});

test('the pool gauges show a running and a waiting operation; a full queue counts a rejection', async (t) => {
  const database = createTestDatabase(t, 20_000, 'seed');
  // Whole pages executed by graphql-jit: one slow task per export, so "running" and "waiting" are each one export.
  const server = await startTestServer(t, {
    DATABASE_URL: database.url,
    MAX_PAGE_SIZE: '20000',
    MAX_QUEUE: '1',
    SLICE_SIZE: '0',
    PLANNER: 'false',
  });
  const exports = [server.graphql(exportQuery(20_000)), server.graphql(exportQuery(20_000))];
  await waitFor(async () => {
    const now = await scrape(server.url);
    return now.get('worker_pool_busy_workers') === 1 && now.get('worker_pool_queue_length') === 1;
  }, 5_000);
  assert.equal((await server.graphql(exportQuery(20_000))).status, 503);
  for (const reply of await Promise.all(exports)) assert.equal(reply.status, 200);

  const after = await scrape(server.url);
  assert.equal(after.get('worker_pool_rejected_total'), 1);
  assert.equal(after.get('graphql_errors_total{code="UNAVAILABLE"}'), 1);
  assert.equal(after.get('worker_pool_queue_length'), 0);
  const waited = after.get('worker_pool_wait_seconds_sum') ?? 0;
  assert.ok(waited > 0.1, 'the second export waited for the first');
});

test('a timed-out operation counts, and so does the worker started to replace the stopped one', async (t) => {
  const database = createTestDatabase(t, 20_000, 'seed');
  const server = await startTestServer(t, {
    DATABASE_URL: database.url,
    MAX_PAGE_SIZE: '20000',
    REQUEST_TIMEOUT_MS: '200',
    SLICE_SIZE: '0',
    PLANNER: 'false',
  });
  assert.equal((await server.graphql(exportQuery(20_000))).status, 504);
  const replaced = 'worker_pool_workers_replaced_total';
  await waitFor(async () => (await scrape(server.url)).get(replaced) === 1, 10_000);
  const after = await scrape(server.url);
  assert.equal(after.get('worker_pool_timed_out_total'), 1);
  assert.equal(after.get('graphql_errors_total{code="TIMEOUT"}'), 1);
  assert.equal(after.get('worker_pool_workers'), 1);
});
