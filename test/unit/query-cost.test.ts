import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'graphql';
import { schema } from '../../src/schema/index.js';
import { operationCost } from '../../src/server/query-cost.js';

const sizes = { defaultSize: 20, maxSize: 100 };
const cost = (query: string, variables: Record<string, unknown> = {}) =>
  operationCost(schema, parse(query), undefined, variables, sizes);

test('fragments spread many times at every level cost one walk each, not one per spread', () => {
  // 6 levels of 30 spreads of the next fragment, ending in one client: 30^6 = 729,000,000 clients.
  // Walked spread by spread this would block the main thread for minutes; each fragment is walked once.
  const levels = 6;
  const spreads = 30;
  const fragments = Array.from(
    { length: levels },
    (_, level) => `fragment F${level} on Query { ${`...F${level + 1} `.repeat(spreads)}}`,
  );
  const query = `{ ...F0 } ${fragments.join(' ')} fragment F${levels} on Query { node(id: "x") { id } }`;
  const started = performance.now();
  assert.equal(cost(query), spreads ** levels);
  // A complexity guard, not a speed target: linear takes milliseconds, exponential minutes.
  assert.ok(performance.now() - started < 5_000);
});

test('only objects count, each list at its page size; invalid sizes count nothing', () => {
  assert.equal(cost('{ clients(first: 10) { totalCount edges { cursor node { id str1 } } } }'), 10);
  assert.equal(
    cost('{ clients { edges { node { address { id } bankAccounts(last: 3) { edges { node { id } } } } } } }'),
    20 * (2 + 3),
  );
  assert.equal(cost('query ($n: Int) { clients(first: $n) { edges { node { id } } } }', { n: 7 }), 7);
  assert.equal(cost('{ clients(first: 1000) { edges { node { id } } } }'), 0);
  assert.equal(cost('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ['a', 'b', 'c'] }), 3);
});
