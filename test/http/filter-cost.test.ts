import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createTestDatabase } from '../helpers/database.js';
import { startTestServer } from '../helpers/server.js';

const clients = 1_000;
const server = await startTestServer({ after }, { DATABASE_URL: createTestDatabase({ after }, clients).url });
// What a filter may read: every client, one point per 40 rows (src/server/query-cost.ts).
const scan = Math.ceil(clients / 40);

test('issue 10: aliased filtered pages with totalCount cost what they may read; so does a count', async () => {
  const aliases = Array.from(
    { length: 15 },
    (_, i) => `a${i}: clients(first: 100, filter: { str3: { startsWith: "~i" } }) { totalCount edges { node { id } } }`,
  ).join(' ');
  const reply = await server.graphql(`{ ${aliases} }`);
  assert.equal(reply.status, 200, reply.text.slice(0, 300));
  // Each alias: its page of 100, its scan, and its count's scan (the table's size comes from the database).
  assert.equal(reply.json.extensions.cost.requested, 15 * (100 + 2 * scan));
  const unfiltered = await server.graphql('{ clients(first: 100) { edges { node { id } } } }');
  assert.equal(unfiltered.json.extensions.cost.requested, 100);
  const counted = await server.graphql('{ clients(first: 100) { totalCount edges { node { id } } } }');
  assert.equal(counted.json.extensions.cost.requested, 100 + clients / 200, 'a count reads every row it counts');
});

test('issue 10: an explicit null for a variable with a default, where the argument is non-null, is BAD_USER_INPUT', async () => {
  const query = 'query ($ids: [ID!] = ["Q2xpZW50OjE="]) { nodes(ids: $ids) { id } }';
  const reply = await server.graphql(query, { ids: null });
  assert.equal(reply.status, 400, reply.text);
  assert.equal(reply.json.errors.length, 1);
  assert.equal(reply.json.errors[0].extensions.code, 'BAD_USER_INPUT');
  assert.match(reply.json.errors[0].message, /Argument "ids" of non-null type "\[ID!\]!" must not be null/);
  const defaulted = await server.graphql(query, {});
  assert.deepEqual(defaulted.json.data, { nodes: [{ id: 'Q2xpZW50OjE=' }] });
});
