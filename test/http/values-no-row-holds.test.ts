import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { createBackendDatabase, createSuiteCleanup, describeEachBackend } from '../helpers/backends.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Ids past the INTEGER columns (2^31 - 1) and strings holding U+0000 (PostgreSQL's text cannot
 * store one) name no row on either database. Both databases answer them alike: a global ID is
 * not found, a cursor or a filter holding one is BAD_USER_INPUT, and nothing of it reaches SQL.
 */
const beyondColumns = 2 ** 31;
const globalId = (text: string) => Buffer.from(text).toString('base64');
const cursor = (...parts: unknown[]) => Buffer.from(JSON.stringify([2, ...parts])).toString('base64url');

describeEachBackend('values no row can hold', (backend) => {
  const cleanup = createSuiteCleanup();
  let server: TestServer;
  before(async () => {
    server = await startTestServer(cleanup, { DATABASE_URL: (await createBackendDatabase(cleanup, backend, 10)).url });
  });

  for (const id of [beyondColumns, 2 ** 53 - 1]) {
    test(`node(id) of Client:${id} is null, without an error`, async () => {
      const reply = await server.graphql('query ($id: ID!) { node(id: $id) { id } }', { id: globalId(`Client:${id}`) });
      assert.equal(reply.json.errors, undefined, reply.text);
      assert.deepEqual(reply.json.data, { node: null });
    });
  }

  test('an id past the columns fails none of its neighbours in a DataLoader batch', async () => {
    const big = globalId(`Client:${beyondColumns}`);
    const aliased = await server.graphql(`{ a: node(id: "Q2xpZW50OjE=") { id } b: node(id: "${big}") { id } }`);
    assert.equal(aliased.json.errors, undefined, aliased.text);
    assert.deepEqual(aliased.json.data, { a: { id: 'Q2xpZW50OjE=' }, b: null });
    const listed = await server.graphql('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', {
      ids: [globalId('Account:2'), globalId(`Account:${beyondColumns}`), globalId(`Address:${2 ** 40}`)],
    });
    assert.equal(listed.json.errors, undefined, listed.text);
    assert.deepEqual(listed.json.data, { nodes: [{ id: globalId('Account:2') }, null, null] });
  });

  const orders = ['ID_ASC', 'ID_DESC', 'STR1_ASC', 'STR1_DESC', 'STR2_ASC', 'STR2_DESC'];
  const clientCursorWithId = (order: string, id: number) =>
    order.startsWith('ID') ? cursor(`clients by ${order}`, '', id) : cursor(`clients by ${order}`, '', 'M', id);

  for (const order of orders) {
    test(`a crafted ${order} cursor holding an id past the columns is BAD_USER_INPUT`, async () => {
      for (const argument of ['after', 'before']) {
        const reply = await server.graphql(
          `query ($cursor: String) { clients(${argument}: $cursor, orderBy: ${order}) { edges { node { id } } } }`,
          { cursor: clientCursorWithId(order, beyondColumns) },
        );
        assert.equal(reply.json.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', reply.text);
        assert.match(reply.json.errors[0].message, new RegExp(`\`${argument}\` is not a valid cursor`));
      }
    });
  }

  test('a crafted bankAccounts cursor holding an id past the columns is BAD_USER_INPUT', async () => {
    const reply = await server.graphql(
      'query ($cursor: String) { clients(first: 2) { edges { node { bankAccounts(after: $cursor) { edges { cursor } } } } } }',
      { cursor: cursor('bankAccounts', '', beyondColumns) },
    );
    assert.equal(reply.json.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', reply.text);
    assert.match(reply.json.errors[0].message, /`after` is not a valid cursor/);
  });

  for (const [name, condition] of [
    ['eq', { eq: 'a\u0000b' }],
    ['in', { in: ['Ab', 'a\u0000b'] }],
    ['startsWith', { startsWith: '\u0000' }],
  ] as const) {
    test(`a filter's ${name} holding U+0000 is BAD_USER_INPUT naming the field`, async () => {
      const reply = await server.graphql(
        'query ($filter: ClientFilter) { clients(filter: $filter) { totalCount edges { node { id } } } }',
        { filter: { str3: condition } },
      );
      assert.equal(reply.status, 200, reply.text);
      assert.equal(reply.json.errors?.length, 1, reply.text);
      assert.equal(reply.json.errors[0].extensions.code, 'BAD_USER_INPUT', reply.text);
      assert.match(reply.json.errors[0].message, new RegExp(`filter\\.str3\\.${name}.*U\\+0000`));
    });
  }

  for (const order of ['STR1_ASC', 'STR2_DESC']) {
    test(`a crafted ${order} cursor whose value holds U+0000 is BAD_USER_INPUT`, async () => {
      const reply = await server.graphql(
        `query ($cursor: String) { clients(after: $cursor, orderBy: ${order}) { edges { node { id } } } }`,
        { cursor: cursor(`clients by ${order}`, '', 'a\u0000b', 1) },
      );
      assert.equal(reply.json.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', reply.text);
      assert.match(reply.json.errors[0].message, /`after` is not a valid cursor/);
    });
  }
});
