import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestDatabase } from '../helpers/database.js';
import { waitFor } from '../helpers/process.js';
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

  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: bigPage(20_000) }),
  });
  assert.equal(response.status, 200, 'the queue drained');
  await response.arrayBuffer();
});

test('an operation past REQUEST_TIMEOUT_MS answers 504 TIMEOUT, and the pool replaces the worker', async (t) => {
  const database = createTestDatabase(t, 40_000, 'seed');
  const server = await startTestServer(t, {
    DATABASE_URL: database.url,
    MAX_PAGE_SIZE: '40000',
    REQUEST_TIMEOUT_MS: '300',
  });
  const reply = await server.graphql(bigPage(40_000));
  assert.equal(reply.status, 504, reply.text.slice(0, 200));
  assert.equal(reply.json.errors[0].extensions.code, 'TIMEOUT');
  assert.match(reply.json.errors[0].message, /300 ms/);
  // Large enough an estimate for the large lane (where the worker was lost), yet nothing to read.
  const beforeFirst = Buffer.from(JSON.stringify([1, 'clients:ID_ASC', 1])).toString('base64url');
  const empty = `{ clients(last: 40000, before: "${beforeFirst}") { edges { cursor node { id } } } }`;
  await waitFor(async () => (await server.graphql(empty)).status === 200, 10_000);
});
