import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { createBackendDatabase, createSuiteCleanup, describeEachBackend } from '../helpers/backends.js';
import { postGraphQL, startTestServer, type TestServer } from '../helpers/server.js';

describeEachBackend('worker and inline modes', (backend) => {
  const cleanup = createSuiteCleanup();
  let workers: TestServer;
  let inline: TestServer;
  before(async () => {
    const database = await createBackendDatabase(cleanup, backend, 60);
    workers = await startTestServer(cleanup, { DATABASE_URL: database.url, EXECUTOR: 'workers' });
    inline = await startTestServer(cleanup, { DATABASE_URL: database.url, EXECUTOR: 'inline' });
  });

  const globalId = (text: string) => Buffer.from(text).toString('base64');
  const everyField = `id databaseId str1 str2 str3 str4 str5 str6 str7 str8
  address { id databaseId str1 str2 str3 str4 str5 str6 str7 str8 }
  bankAccounts { edges { cursor node { id databaseId str1 str2 str3 str4 str5 str6 str7 str8 str9 str10 str12 str13 str14 str15 str16
    address { id databaseId str1 } } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }`;

  const operations: [string, string, Record<string, unknown>?][] = [
    [
      'a page with every field',
      `{ clients(first: 50) { totalCount edges { cursor node { ${everyField} } } pageInfo { hasNextPage endCursor } } }`,
    ],
    [
      'a backward page in descending order',
      '{ clients(last: 5, orderBy: ID_DESC) { edges { cursor node { databaseId } } pageInfo { hasPreviousPage } } }',
    ],
    [
      'node and nodes with a null',
      'query ($ids: [ID!]!) { nodes(ids: $ids) { id } node(id: "QWNjb3VudDoz") { id ... on Account { str16 } } }',
      { ids: [globalId('Client:3'), globalId('Client:9999')] },
    ],
    [
      'aliases, fragments, __typename and @include',
      `query ($withAccounts: Boolean!) { first: clients(first: 3) { edges { node { __typename ...Names } } }
        last: clients(last: 2) { edges { node { databaseId address { ...on Node { id } str2 }
          bankAccounts(first: 1) @include(if: $withAccounts) { edges { node { __typename str16 } } } } } } }
       fragment Names on Client { id str1 alias: str8 }`,
      { withAccounts: true },
    ],
    [
      'introspection',
      '{ __typename __schema { queryType { name } types { name kind fields { name type { name kind } } } } }',
    ],
    ['a field error: page size over the limit', '{ clients(first: 1000) { totalCount } }'],
    [
      'a field error beside data',
      'query ($id: ID!) { node(id: $id) { id } clients(first: 1) { totalCount } }',
      { id: 'nope' },
    ],
    [
      'a nested field error',
      '{ clients(first: 3) { edges { node { bankAccounts(first: -1) { edges { cursor } } } } } }',
    ],
    ['a missing required variable', 'query ($n: Int!) { clients(first: $n) { totalCount } }'],
    ['a variable of the wrong type', 'query ($n: Int) { clients(first: $n) { totalCount } }', { n: 'ten' }],
    ['an unknown field', '{ clients { nope } }'],
    ['a syntax error', '{ clients(first: ) }'],
    [
      'two operations and no operationName',
      'query A { clients(first: 1) { totalCount } } query B { node(id: "Q2xpZW50OjE=") { id } }',
    ],
  ];

  for (const accept of ['application/graphql-response+json', 'application/json']) {
    for (const [name, query, variables] of operations) {
      test(`${name}: the same status, type and bytes from workers and inline (${accept})`, async () => {
        const [fromWorkers, fromInline] = await Promise.all([
          postGraphQL(workers.url, query, variables, { accept }),
          postGraphQL(inline.url, query, variables, { accept }),
        ]);
        assert.equal(fromWorkers.status, fromInline.status);
        assert.equal(fromWorkers.contentType, fromInline.contentType);
        assert.equal(fromWorkers.text, fromInline.text);
        assert.ok(fromWorkers.text.length > 20);
      });
    }
  }

  test('operationName picks the operation in both modes', async () => {
    const query = 'query A { clients(first: 1) { totalCount } } query B { node(id: "Q2xpZW50OjE=") { id } }';
    for (const server of [workers, inline]) {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, operationName: 'B' }),
      });
      assert.deepEqual(await response.json(), {
        data: { node: { id: 'Q2xpZW50OjE=' } },
        extensions: { cost: { requested: 1, actual: 1, limit: 30300, remaining: null, restorePerSecond: null } },
      });
    }
  });
});
