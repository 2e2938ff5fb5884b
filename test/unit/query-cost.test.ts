import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type GraphQLError, parse } from 'graphql';
import { defaultMaxCost, loadConfig } from '../../src/config.js';
import { schema } from '../../src/schema/index.js';
import { operationCost } from '../../src/server/query-cost.js';

const pageSizes = { defaultSize: 20, maxSize: 100 };
const cost = (query: string, variables: Record<string, unknown> = {}, clientRows = 40_000) =>
  operationCost(schema, parse(query), undefined, variables, { pageSizes, clientRows: () => clientRows });

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
  assert.equal(cost('{ clients(first: 10) { totalCount edges { cursor node { id str1 } } } }', {}, 0), 10);
  assert.equal(
    cost('{ clients { edges { node { address { id } bankAccounts(last: 3) { edges { node { id } } } } } } }'),
    20 * (2 + 3),
  );
  assert.equal(cost('query ($n: Int) { clients(first: $n) { edges { node { id } } } }', { n: 7 }), 7);
  assert.equal(cost('{ clients(first: 1000) { edges { node { id } } } }'), 0);
  assert.equal(cost('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ['a', 'b', 'c'] }), 3);
});

test('a filter, and each totalCount, costs what it may read: every client, a point per 40 rows tested', () => {
  const page = (filter: string, selection = 'edges { node { id } }') =>
    `{ clients(first: 10, filter: ${filter}) { ${selection} } }`;
  assert.equal(cost(page('{}')), 10, 'an empty filter reads nothing more');
  assert.equal(cost(page('{ str3: null, str4: { eq: null } }')), 10, 'null conditions are ignored');
  assert.equal(cost(page('{ str3: { startsWith: "~i" } }')), 10 + 1000);
  assert.equal(cost(page('{ str3: { startsWith: "~i" } }'), {}, 1_000_000), 10 + 25_000, 'linear in table size');
  assert.equal(cost(page('{ str1: { isNull: false } }', 'totalCount t2: totalCount')), 1000 + 2 * 1000);
  assert.equal(cost(page('{ databaseId: { in: [1, 2, 3] } }', 'totalCount')), 1 + 1, 'ids bound what it reads');
  assert.equal(cost(page('{ databaseId: { in: [] } }', 'totalCount')), 0);
  assert.equal(cost('{ clients(first: 10) { totalCount } }'), 200, 'an unfiltered count reads every row, cheaper');
  assert.equal(cost('{ clients(first: 10) { totalCount } }', {}, 0), 0);
  assert.equal(
    cost(
      'query ($f: ClientFilter) { clients(first: 1, filter: $f) { ...C } } fragment C on ClientConnection { totalCount }',
      {
        f: { str2: { eq: 'x' } },
      },
    ),
    1000 + 1000,
    'filters in variables, totalCount in a fragment',
  );
});

test('the default MAX_COST admits the deepest query of full pages with a filter, but not two of them', () => {
  const maxCost = loadConfig({}).limits.cost;
  assert.equal(maxCost, defaultMaxCost(100));
  const deepest = (filter = '', count = '') =>
    `clients(first: 100${filter}) { ${count} edges { node { address { id } bankAccounts(first: 100) { edges { node { address { id } } } } } } }`;
  assert.equal(cost(`{ ${deepest()} }`), 100 * (1 + 1 + 100 * (1 + 1)));
  assert.equal(cost(`{ ${deepest('', 'totalCount')} }`), 20_200 + 200);
  const filtered = cost(`{ ${deepest(', filter: { str3: { startsWith: "A" } }', 'totalCount')} }`);
  assert.equal(filtered, 20_200 + 2 * 1000);
  assert.ok(filtered <= maxCost, `${filtered} within ${maxCost}`);
  assert.ok(cost(`{ a: ${deepest()} b: ${deepest()} }`) > maxCost, 'aliases add up past the limit');
  // Issue 10's 15 aliases of a filtered page with its count: no longer a small operation.
  const aliases = Array.from(
    { length: 15 },
    (_, i) => `a${i}: clients(first: 100, filter: { str3: { startsWith: "~i" } }) { totalCount edges { node { id } } }`,
  ).join(' ');
  assert.ok(cost(`{ ${aliases} }`) > loadConfig({}).smallOperationMaxCost);
  assert.equal(defaultMaxCost(40_000), 3 * 40_000 * 40_001, 'an export endpoint scales with MAX_PAGE_SIZE');
});

test('an explicit null for a non-null argument is BAD_USER_INPUT naming the argument, not a crash', () => {
  const query = 'query ($ids: [ID!] = ["Q2xpZW50OjE="]) { nodes(ids: $ids) { id } }';
  assert.equal(cost(query, {}), 1, 'the default applies when the variable is left out');
  assert.throws(
    () => cost(query, { ids: null }),
    (error: GraphQLError) =>
      error.extensions.code === 'BAD_USER_INPUT' &&
      /Argument "ids" of non-null type "\[ID!\]!" must not be null/.test(error.message),
  );
});
