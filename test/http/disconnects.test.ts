import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import { createTestDatabase } from '../helpers/database.js';
import { growth, scrape } from '../helpers/metrics.js';
import { spawnService, waitFor } from '../helpers/process.js';
import { everyClientField } from '../helpers/queries.js';

const fullPage = `{ clients(first: 100) { edges { cursor node { ${everyClientField} } } } }`;

/** Sends an operation and closes the connection after `ms`, before the answer can be complete. */
function sendAndHangUp(url: string, query: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const req = request(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    req.on('error', () => resolve());
    req.end(JSON.stringify({ query }));
    setTimeout(() => {
      req.destroy();
      resolve();
    }, ms);
  });
}

test('callers hanging up cost no worker and no error log; they are counted, and the next caller is served at once', async (t) => {
  const database = createTestDatabase(t, 2000, 'full');
  // The executor's pages: the planner's (the database writes the edges) often answered within the
  // 8 ms before the hang-up on Node 24, so the hang-ups were not aborts.
  const service = await spawnService(t, { DATABASE_URL: database.url, WORKERS: '1', PLANNER: 'false' });
  await waitFor(async () => (await fetch(`${service.url}/readyz`)).status === 200, 20_000);
  const before = await scrape(service.url);
  for (let i = 0; i < 10; i++) await sendAndHangUp(service.url, fullPage, 8);
  // Let the last operations finish in the worker (their bytes are dropped).
  await new Promise((resolve) => setTimeout(resolve, 500));
  const started = performance.now();
  const response = await fetch(
    `${service.url}/graphql?query=${encodeURIComponent('{ clients(first: 1) { edges { node { id } } } }')}`,
  );
  const ms = performance.now() - started;
  assert.equal(response.status, 200);
  assert.ok(ms < 300, `the next small page took ${ms} ms`);

  const after = await scrape(service.url);
  assert.equal(growth(before, after, 'worker_pool_workers_replaced_total'), 0, 'no worker was stopped');
  const aborted = service.lines.filter((line) => line.includes('"aborted":true') && line.includes('"path":"/graphql"'));
  assert.equal(growth(before, after, 'graphql_requests_aborted_total'), aborted.length);
  assert.ok(aborted.length >= 5, `${aborted.length} of 10 hang-ups seen as aborted`);
  const errors = service.lines.filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
  assert.deepEqual(errors, [], 'a caller going away is no error');
});
