import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { clientOrders } from '../../src/data/data-source.js';
import { applyOrderingData } from '../fixtures/ordering-data.js';
import { createBackendDatabase, createSuiteCleanup, postgresSkipReason } from '../helpers/backends.js';
import { postGraphQL, startTestServer, type TestServer } from '../helpers/server.js';

const nested = `id databaseId str1 str2 str3 address { id str1 str8 }
  bankAccounts(first: 2) { edges { cursor node { id databaseId str1 str16 address { id str2 } } } pageInfo { hasNextPage } }`;
const pageQuery = `query ($first: Int, $after: String, $last: Int, $before: String, $orderBy: ClientOrder, $filter: ClientFilter) {
  clients(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy, filter: $filter) {
    totalCount edges { cursor node { ${nested} } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;

describe('SQLite and PostgreSQL answer the same bytes', { skip: postgresSkipReason }, () => {
  const cleanup = createSuiteCleanup();
  let sqlite: TestServer;
  let postgres: TestServer;

  before(async () => {
    const [onSqlite, onPostgres] = await Promise.all([
      createBackendDatabase(cleanup, 'sqlite', 80),
      createBackendDatabase(cleanup, 'postgres', 80),
    ]);
    await Promise.all([applyOrderingData(onSqlite), applyOrderingData(onPostgres)]);
    sqlite = await startTestServer(cleanup, { DATABASE_URL: onSqlite.url });
    postgres = await startTestServer(cleanup, { DATABASE_URL: onPostgres.url });
  });

  /** Posts to both, checks the bodies are identical, and answers the parsed body. */
  async function same(variables: Record<string, unknown>) {
    const [a, b] = await Promise.all([
      postGraphQL(sqlite.url, pageQuery, variables),
      postGraphQL(postgres.url, pageQuery, variables),
    ]);
    assert.equal(a.status, b.status);
    assert.equal(a.text, b.text, JSON.stringify(variables));
    assert.equal(a.json.errors, undefined, a.text);
    return a.json.data.clients;
  }

  for (const orderBy of clientOrders) {
    test(`${orderBy}: every page forward and backward, with nested fields`, async () => {
      for (const backward of [false, true]) {
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page = await same(
            backward ? { orderBy, last: 9, before: cursor } : { orderBy, first: 9, after: cursor },
          );
          const more = backward ? page.pageInfo.hasPreviousPage : page.pageInfo.hasNextPage;
          cursor = more ? (backward ? page.pageInfo.startCursor : page.pageInfo.endCursor) : null;
          pages++;
        } while (cursor);
        assert.equal(pages, 9);
      }
    });
  }

  test('filters, alone and combined, with their counts', async () => {
    const filters = [
      { str1: { isNull: true } },
      { str2: { startsWith: 'a' } },
      { str2: { in: ['A', 'a', 'é', '😀', '～', ''] } },
      { str1: { eq: 'tie' }, databaseId: { in: [11, 22, 33, 34] } },
      { str3: { startsWith: 'A' }, str2: { isNull: false } },
    ];
    for (const filter of filters) {
      for (const orderBy of ['STR2_ASC', 'STR1_DESC']) await same({ filter, orderBy, first: 50 });
    }
  });
});
