import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'graphql';
import { withCostExtension } from '../../src/executor/cost-extension.js';
import { countReturnedObjects, planReturnedObjects } from '../../src/executor/returned-objects.js';
import { schema } from '../../src/schema/index.js';

const count = (query: string, data: unknown, operationName?: string) =>
  countReturnedObjects(planReturnedObjects(schema, parse(query), operationName), data);

const client = (id: number, accounts: number[], address: number | null = id) => ({
  node: {
    id: `c${id}`,
    address: address === null ? null : { id: `a${address}` },
    bankAccounts: { edges: accounts.map((account) => ({ cursor: 'x', node: { id: `b${account}`, address: null } })) },
  },
});

test('counts the clients, accounts and addresses a result holds; edges, connections and nulls count nothing', () => {
  const query = `{ clients { totalCount pageInfo { hasNextPage } edges { node { id address { id }
    bankAccounts { edges { cursor node { id address { id } } } } } } } }`;
  const data = {
    clients: { totalCount: 9, pageInfo: { hasNextPage: true }, edges: [client(1, [1, 2]), client(2, [], null)] },
  };
  // 2 clients + 1 address + 2 accounts (their addresses are null)
  assert.equal(count(query, data), 5);
  assert.equal(count(query, { clients: { totalCount: 0, pageInfo: { hasNextPage: false }, edges: [] } }), 0);
  assert.equal(count(query, null), 0);
});

test('aliases, fragments on both sides of Node, and nodes lists are counted by response key', () => {
  const query = `query Two { a: nodes(ids: ["x", "y", "z"]) { ...N } b: node(id: "x") { id ... on Client { home: address { id } } } }
    fragment N on Node { id ... on Client { address { id } } ... on Account { address { id } } }
    query Other { clients { edges { node { id } } } }`;
  const data = {
    a: [{ id: 'c1', address: { id: 'a1' } }, null, { id: 'b1', address: null }],
    b: { id: 'c1', home: { id: 'a1' } },
  };
  assert.equal(count(query, data, 'Two'), 3 + 2);
  assert.equal(count(query, { clients: { edges: [{ node: { id: 'c1' } }] } }, 'Other'), 1);
});

test('a fragment spread many times at many levels is merged once per place: planning stays linear', () => {
  const fragments = Array.from(
    { length: 6 },
    (_, level) => `fragment F${level} on Query { ${`...F${level + 1} `.repeat(30)}}`,
  );
  const query = `{ ...F0 } ${fragments.join(' ')} fragment F6 on Query { node(id: "x") { id } }`;
  const started = performance.now();
  assert.equal(count(query, { node: { id: 'c1' } }), 1);
  assert.ok(performance.now() - started < 1_000);
});

test('extensions.cost is added last, after any other extension, with every figure', () => {
  const result = withCostExtension(
    { data: { x: 1 }, extensions: { other: true } },
    { requested: 7, limit: 30300, remaining: 93, restorePerSecond: 10 },
    3,
  );
  assert.equal(
    JSON.stringify(result),
    '{"data":{"x":1},"extensions":{"other":true,"cost":{"requested":7,"actual":3,"limit":30300,"remaining":93,"restorePerSecond":10}}}',
  );
});
