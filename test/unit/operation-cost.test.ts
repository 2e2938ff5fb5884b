import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'graphql';
import { schema } from '../../src/schema/index.js';
import { createCostEstimator } from '../../src/server/operation-cost.js';

const estimate = createCostEstimator(schema, 20);
const cost = (query: string, variables: Record<string, unknown> = {}, operationName?: string) =>
  estimate(parse(query), variables, operationName);

test('page sizes multiply down the tree; a connection without first/last counts the default page', () => {
  // clients + 10 x (edges, node, id); then 10 x (bankAccounts + 20 x (edges, node, databaseId))
  assert.equal(cost('{ clients(first: 10) { edges { node { id } } } }'), 1 + 10 * 3);
  assert.equal(
    cost('{ clients(first: 10) { edges { node { bankAccounts { edges { node { databaseId } } } } } } }'),
    1 + 10 * 2 + 10 * (1 + 20 * 3),
  );
  assert.equal(
    cost('{ clients(last: 4) { edges { node { bankAccounts(first: 2) { edges { cursor } } } } } }'),
    1 + 4 * 2 + 4 * (1 + 2 * 2),
  );
});

test('variables, fragments, aliases, list arguments and the chosen operation count', () => {
  assert.equal(cost('query ($n: Int) { clients(first: $n) { edges { cursor } } }', { n: 50 }), 1 + 50 * 2);
  assert.equal(cost('query ($n: Int) { clients(first: $n) { edges { cursor } } }', {}), 1 + 20 * 2);
  assert.equal(
    cost(
      '{ a: clients(first: 5) { ...E } b: clients(first: 5) { ...E } } fragment E on ClientConnection { edges { cursor } }',
    ),
    2 * (1 + 5 * 2),
  );
  assert.equal(
    cost('query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Client { str1 } } }', { ids: ['a', 'b', 'c'] }),
    7,
  );
  assert.equal(cost('{ nodes(ids: ["a", "b"]) { id } }'), 3);
  assert.equal(
    cost('query A { clients(first: 1) { totalCount } } query B { clients(first: 99) { edges { cursor } } }', {}, 'B'),
    199,
  );
});

test('an export costs thousands of times a small page', () => {
  const fields = 'id str1 address { id str1 } bankAccounts { edges { node { id str1 address { str1 } } } }';
  const page = cost(`{ clients(first: 20) { edges { node { ${fields} } } } }`);
  const exported = cost(`{ clients(first: 40000) { edges { node { ${fields} } } } }`);
  assert.ok(page < 100_000 && exported > 100_000, `${page} ${exported}`);
  assert.equal(exported / page > 1000, true);
});
