import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { createBackendDatabase, createSuiteCleanup, describeEachBackend } from '../helpers/backends.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

describeEachBackend('bankAccounts pages', (backend) => {
  const cleanup = createSuiteCleanup();
  let server: TestServer;
  before(async () => {
    server = await startTestServer(cleanup, { DATABASE_URL: (await createBackendDatabase(cleanup, backend, 30)).url });
  });

  interface AccountPage {
    edges: { cursor: string; node: { databaseId: number } }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  }

  const accountsQuery = `query ($first: Int, $after: String, $last: Int, $before: String) {
  clients(first: 30) { edges { node { databaseId
    bankAccounts(first: $first, after: $after, last: $last, before: $before) {
      edges { cursor node { databaseId address { databaseId } } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    } } } } }`;

  async function accountPages(variables: Record<string, unknown>): Promise<Map<number, AccountPage>> {
    const reply = await server.graphql(accountsQuery, variables);
    assert.equal(reply.json.errors, undefined, reply.text);
    const pages = new Map<number, AccountPage>();
    for (const { node } of reply.json.data.clients.edges) pages.set(node.databaseId, node.bankAccounts);
    return pages;
  }

  const ids = (page: AccountPage | undefined) => page?.edges.map((edge) => edge.node.databaseId) ?? [];

  test('every client has 1 to 3 accounts, each with its own address', async () => {
    const all = await accountPages({});
    const addresses = new Set<number>();
    for (const page of all.values()) {
      assert.ok(page.edges.length >= 1 && page.edges.length <= 3);
      assert.equal(page.pageInfo.hasNextPage, false);
      for (const edge of page.edges)
        addresses.add((edge.node as unknown as { address: { databaseId: number } }).address.databaseId);
    }
    assert.equal(
      addresses.size,
      [...all.values()].reduce((sum, page) => sum + page.edges.length, 0),
    );
  });

  test('first: 1 pages of every client say exactly which clients have more', async () => {
    const all = await accountPages({});
    const firstOnly = await accountPages({ first: 1 });
    for (const [clientId, page] of all) {
      const first = firstOnly.get(clientId);
      assert.deepEqual(ids(first), ids(page).slice(0, 1));
      assert.equal(first?.pageInfo.hasNextPage, page.edges.length > 1, `client ${clientId}`);
      assert.equal(first?.pageInfo.hasPreviousPage, false);
    }
  });

  test("walking one client's accounts forward and backward a row at a time", async () => {
    const all = await accountPages({});
    const [clientId, full] = [...all].find(([, page]) => page.edges.length === 3) ?? [];
    assert.ok(clientId && full, 'the seed gives some client three accounts');

    const forward: number[] = [];
    let cursor: string | null = null;
    for (;;) {
      const page: AccountPage | undefined = (await accountPages({ first: 1, after: cursor })).get(clientId);
      assert.ok(page);
      forward.push(...ids(page));
      assert.equal(page.pageInfo.hasPreviousPage, cursor !== null);
      if (!page.pageInfo.hasNextPage) break;
      cursor = page.pageInfo.endCursor;
    }
    assert.deepEqual(forward, ids(full));

    const backward: number[] = [];
    cursor = null;
    for (;;) {
      const page: AccountPage | undefined = (await accountPages({ last: 1, before: cursor })).get(clientId);
      assert.ok(page);
      backward.unshift(...ids(page));
      assert.equal(page.pageInfo.hasNextPage, cursor !== null);
      if (!page.pageInfo.hasPreviousPage) break;
      cursor = page.pageInfo.startCursor;
    }
    assert.deepEqual(backward, ids(full));
  });

  test('nested page sizes and cursors are checked like top-level ones', async () => {
    const clientCursor = (await server.graphql('{ clients(first: 1) { edges { cursor } } }')).json.data.clients.edges[0]
      .cursor;
    for (const [variables, message] of [
      [{ first: 101 }, /exceeds the `first` limit of 100/],
      [{ last: -2 }, /cannot be negative/],
      [{ after: clientCursor }, /cursor for clients by ID_ASC, not for bankAccounts/],
    ] as const) {
      const reply = await server.graphql(accountsQuery, variables);
      assert.ok(reply.json.errors?.length > 0, reply.text);
      for (const error of reply.json.errors) {
        assert.equal(error.extensions.code, 'BAD_USER_INPUT');
        assert.match(error.message, message);
      }
    }
  });
});
