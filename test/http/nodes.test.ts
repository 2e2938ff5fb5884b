import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { createBackendDatabase, createSuiteCleanup, describeEachBackend } from '../helpers/backends.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

describeEachBackend('node and nodes', (backend) => {
  const cleanup = createSuiteCleanup();
  let server: TestServer;
  before(async () => {
    server = await startTestServer(cleanup, { DATABASE_URL: (await createBackendDatabase(cleanup, backend, 10)).url });
  });
  const globalId = (text: string) => Buffer.from(text).toString('base64');

  const nodeQuery = `query ($id: ID!) { node(id: $id) { __typename id ... on Client { databaseId str1 }
  ... on Account { databaseId str16 } ... on Address { databaseId str8 } } }`;

  test('node refetches a Client, an Account and an Address by the id the API gave', async () => {
    const listed = await server.graphql(`{ clients(first: 1) { edges { node {
    id databaseId str1 address { id databaseId str8 }
    bankAccounts(first: 1) { edges { node { id databaseId str16 } } } } } } }`);
    const client = listed.json.data.clients.edges[0].node;
    const account = client.bankAccounts.edges[0].node;
    for (const [typename, expected] of [
      ['Client', { id: client.id, databaseId: client.databaseId, str1: client.str1 }],
      ['Account', account],
      ['Address', client.address],
    ] as const) {
      const reply = await server.graphql(nodeQuery, { id: expected.id });
      assert.equal(reply.json.errors, undefined, reply.text);
      assert.deepEqual(reply.json.data, { node: { __typename: typename, ...expected } });
    }
  });

  test('nodes answers in the order asked, null for ids that name no row', async () => {
    const reply = await server.graphql('query ($ids: [ID!]!) { nodes(ids: $ids) { __typename ... on Node { id } } }', {
      ids: [globalId('Address:3'), globalId('Client:999999'), globalId('Client:2'), globalId('Account:1')],
    });
    assert.equal(reply.json.errors, undefined, reply.text);
    assert.deepEqual(
      reply.json.data.nodes.map((node: { __typename: string } | null) => node?.__typename ?? null),
      ['Address', null, 'Client', 'Account'],
    );
  });

  test('an unknown but well-formed id is null, without an error', async () => {
    const reply = await server.graphql(nodeQuery, { id: globalId('Client:999999') });
    assert.equal(reply.json.errors, undefined, reply.text);
    assert.deepEqual(reply.json.data, { node: null });
  });

  for (const [name, id] of [
    ['garbage', 'garbage'],
    ['an unknown type', globalId('Invoice:1')],
    ['a non-numeric id', globalId('Client:abc')],
    ['a zero id', globalId('Client:0')],
    ['a cursor instead of an id', 'WzEsImNsaWVudHM6SURfQVNDIiwxXQ'],
    ['an empty string', ''],
  ]) {
    test(`a malformed global ID (${name}) is BAD_USER_INPUT`, async () => {
      const reply = await server.graphql(nodeQuery, { id });
      assert.equal(reply.json.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', reply.text);
      assert.match(reply.json.errors[0].message, /Invalid global ID/);
      assert.equal(reply.json.data.node, null);
    });
  }
});
