import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createTestDatabase } from '../helpers/database.js';
import { startTestServer } from '../helpers/server.js';

const database = createTestDatabase({ after }, 40);
const servers = {
  workers: await startTestServer({ after }, { DATABASE_URL: database.url }),
  inline: await startTestServer({ after }, { DATABASE_URL: database.url, EXECUTOR: 'inline' }),
  // Pages of more than 7 clients go out in slices: the last slice writes the actual count.
  sliced: await startTestServer({ after }, { DATABASE_URL: database.url, SLICE_SIZE: '7' }),
};

// Every object selects its id, so the ids in the body are the objects it returned.
const objectsIn = (text: string) => (text.match(/"id":"/g) ?? []).length;

for (const [mode, server] of Object.entries(servers)) {
  test(`${mode}: an executed operation shows requested and actual cost`, async () => {
    const query = `query ($ids: [ID!]!) {
      clients(first: 7) { totalCount edges { node { id address { id } bankAccounts(first: 2) { edges { node { id address { id } } } } } } }
      nodes(ids: $ids) { id ... on Client { address { id } } } }`;
    const reply = await server.graphql(query, { ids: ['Q2xpZW50OjE=', 'Q2xpZW50Ojk5OTk=', 'QWRkcmVzczox'] });
    assert.equal(reply.status, 200, reply.text);
    const { cost } = reply.json.extensions;
    assert.deepEqual(Object.keys(cost), ['requested', 'actual', 'limit', 'remaining', 'restorePerSecond']);
    // The objects it may return, and its count (40 clients: one point per 40 rows).
    assert.equal(cost.requested, 7 * (1 + 1 + 2 * (1 + 1)) + 3 * 2 + 1);
    assert.equal(cost.actual, objectsIn(reply.text));
    assert.ok(cost.actual > 7 && cost.actual < cost.requested, JSON.stringify(cost));
    assert.equal(cost.limit, 30300);
    assert.equal(reply.text.lastIndexOf('"extensions"') > reply.text.lastIndexOf('"data"'), true, 'written last');
  });

  test(`${mode}: refusals and errors show the cost too`, async () => {
    const deepest =
      'clients(first: 100) { edges { node { address { id } bankAccounts(first: 100) { edges { node { address { id } } } } } } }';
    const cases: [string, Record<string, unknown> | undefined, number, number | null][] = [
      [`{ a: ${deepest} b: ${deepest} }`, undefined, 400, 40400],
      ['{ clients { nope } }', undefined, 400, null],
      ['{ clients(', undefined, 400, null],
      ['query ($n: Int) { clients(first: $n) { totalCount } }', { n: 'ten' }, 400, null],
      ['{ clients(first: 1000) { totalCount } }', undefined, 200, 1],
    ];
    for (const [query, variables, status, requested] of cases) {
      const reply = await server.graphql(query, variables);
      assert.equal(reply.status, status, reply.text.slice(0, 300));
      assert.ok(reply.json.errors.length > 0);
      const { cost } = reply.json.extensions;
      assert.equal(cost.requested, requested, query);
      assert.equal(cost.actual, 0);
      assert.equal(cost.limit, 30300);
    }
  });
}

test('a page sent in slices shows the actual cost of every slice, in the same bytes as a whole page', async () => {
  const query = `{ clients(first: 40) { edges { cursor node { id address { id } bankAccounts { edges { node { id address { id } } } } } } }
    node(id: "Q2xpZW50OjE=") { id } }`;
  const [whole, sliced] = await Promise.all([servers.workers.graphql(query), servers.sliced.graphql(query)]);
  assert.equal(sliced.status, 200);
  assert.equal(sliced.json.extensions.cost.actual, objectsIn(sliced.text));
  assert.ok(sliced.json.extensions.cost.actual > 40 * 2);
  assert.equal(sliced.text, whole.text);
});
