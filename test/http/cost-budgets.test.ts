import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createTestDatabase } from '../helpers/database.js';
import { growth, scrape } from '../helpers/metrics.js';
import { startTestServer } from '../helpers/server.js';

const database = createTestDatabase({ after }, 60);
// Small numbers: a bucket of 100 points, refilled whole 2 s after its first spend (50 per second).
const server = await startTestServer(
  { after },
  {
    DATABASE_URL: database.url,
    MAX_COST: '100',
    COST_BUDGET: '100',
    COST_RESTORE_PER_SECOND: '50',
    TRUST_PROXY_HOPS: '1',
  },
);

const page = (size: number) => `query Page { clients(first: ${size}) { edges { node { id } } } }`;
/** A caller behind one trusted proxy, which appended the address it saw. */
const as = (forwardedFor: string, size: number) =>
  server.graphql(page(size), undefined, { 'x-forwarded-for': forwardedFor });

test('AUTH=none with COST_BUDGET: each client address spends its own bucket; empty is 429 with Retry-After', async () => {
  const before = await scrape(server.url);
  const first = await as('10.0.0.1', 40);
  assert.equal(first.status, 200, first.text);
  assert.deepEqual(first.json.extensions.cost, {
    requested: 40,
    actual: 40,
    limit: 100,
    remaining: 60,
    restorePerSecond: 50,
  });
  assert.equal((await as('10.0.0.1', 40)).json.extensions.cost.remaining, 20);

  const refused = await as('10.0.0.1', 40);
  assert.equal(refused.status, 429, refused.text);
  assert.equal(refused.json.errors[0].extensions.code, 'RATE_LIMITED');
  assert.match(refused.json.errors[0].message, /costs 40, 20 of 100 points are left.*50 points per second/);
  const retryAfter = Number(refused.headers.get('retry-after'));
  assert.ok(retryAfter >= 1 && retryAfter <= 2, `Retry-After: ${retryAfter}`);
  assert.deepEqual(refused.json.extensions.cost, {
    requested: 40,
    actual: 0,
    limit: 100,
    remaining: 20,
    restorePerSecond: 50,
  });
  assert.equal(refused.json.data, undefined, 'refused before it ran');

  // A refusal spends nothing: the 20 points left still buy a smaller page.
  assert.equal((await as('10.0.0.1', 15)).json.extensions.cost.remaining, 5);
  // Another caller is unaffected; an address the caller put left of the proxy's is not believed.
  assert.equal((await as('10.0.0.2', 40)).json.extensions.cost.remaining, 60);
  assert.equal((await as('10.0.0.2, 10.0.0.1', 10)).status, 429);

  const after = await scrape(server.url);
  assert.equal(growth(before, after, 'graphql_operations_rejected_total{reason="RATE_LIMITED"}'), 2);
  assert.equal(growth(before, after, 'graphql_cost_spent_total{operation_name="Page"}'), 40 + 40 + 15 + 40);

  await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
  const refilled = await as('10.0.0.1', 40);
  assert.equal(refilled.status, 200, 'the bucket refills');
  assert.equal(refilled.json.extensions.cost.remaining, 60);
});

test('an operation over MAX_COST is refused for its cost and spends nothing from the budget', async () => {
  const before = await scrape(server.url);
  const withAddresses = '{ clients(first: 51) { edges { node { address { id } } } } }';
  const over = await server.graphql(withAddresses, undefined, { 'x-forwarded-for': '10.0.0.3' });
  assert.equal(over.status, 400);
  assert.match(over.json.errors[0].message, /Query cost 102 exceeds the limit of 100/);
  assert.equal(over.json.extensions.cost.requested, 102);
  assert.equal(over.json.extensions.cost.remaining, null, 'no budget was touched');
  assert.equal((await as('10.0.0.3', 10)).json.extensions.cost.remaining, 90);
  assert.equal(growth(before, await scrape(server.url), 'graphql_operations_rejected_total{reason="COST_LIMIT"}'), 1);
});

test('AUTH=none without COST_BUDGET applies no budget', async (t) => {
  const open = await startTestServer(t, { DATABASE_URL: database.url });
  for (let call = 0; call < 3; call += 1) {
    const reply = await open.graphql(page(100));
    assert.equal(reply.status, 200);
    assert.equal(reply.json.extensions.cost.remaining, null);
    assert.equal(reply.json.extensions.cost.restorePerSecond, null);
  }
  assert.equal((await scrape(open.url)).has('cost_budget_shared'), false);
});
