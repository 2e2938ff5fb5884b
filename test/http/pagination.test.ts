import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createBackendDatabase, createSuiteCleanup, describeEachBackend } from '../helpers/backends.js';
import { onlyError, startTestServer, type TestServer } from '../helpers/server.js';

const pageQuery = `query Page($first: Int, $after: String, $last: Int, $before: String, $orderBy: ClientOrder) {
  clients(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) {
    totalCount
    edges { cursor node { databaseId } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

interface Page {
  ids: number[];
  cursors: string[];
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const total = 45;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describeEachBackend('paging clients', (backend) => {
  const cleanup = createSuiteCleanup();
  let server: TestServer;
  before(async () => {
    const database = await createBackendDatabase(cleanup, backend, total);
    server = await startTestServer(cleanup, { DATABASE_URL: database.url });
  });

  async function page(variables: Record<string, unknown>): Promise<Page> {
    const reply = await server.graphql(pageQuery, variables);
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.json.errors, undefined, reply.text);
    const { edges, pageInfo, totalCount } = reply.json.data.clients;
    return {
      ids: edges.map((edge: { node: { databaseId: number } }) => edge.node.databaseId),
      cursors: edges.map((edge: { cursor: string }) => edge.cursor),
      pageInfo,
      totalCount,
    };
  }

  const errorOf = (variables: Record<string, unknown>) => onlyError(server, pageQuery, variables);

  describe('paging forward with first/after', () => {
    test('visits every client once, in id order, with exact page flags', async () => {
      const seen: number[] = [];
      let cursor: string | null = null;
      for (let index = 0; ; index++) {
        const current: Page = await page({ first: 10, after: cursor });
        seen.push(...current.ids);
        assert.equal(current.pageInfo.hasPreviousPage, index > 0);
        assert.equal(current.pageInfo.startCursor, current.cursors[0]);
        assert.equal(current.pageInfo.endCursor, current.cursors.at(-1));
        if (!current.pageInfo.hasNextPage) break;
        cursor = current.pageInfo.endCursor;
      }
      assert.deepEqual(seen, range(1, total));
    });

    test('a page size that divides the total ends with hasNextPage false, then an empty page', async () => {
      let cursor: string | null = null;
      for (let index = 0; index < 3; index++) {
        const current: Page = await page({ first: 15, after: cursor });
        assert.deepEqual(current.ids, range(index * 15 + 1, index * 15 + 15));
        assert.equal(current.pageInfo.hasNextPage, index < 2);
        cursor = current.pageInfo.endCursor;
      }
      const beyond = await page({ first: 15, after: cursor });
      assert.deepEqual(beyond.ids, []);
      assert.deepEqual(beyond.pageInfo, {
        hasNextPage: false,
        hasPreviousPage: true,
        startCursor: null,
        endCursor: null,
      });
    });

    test('defaults to DEFAULT_PAGE_SIZE and counts every client', async () => {
      const first = await page({});
      assert.deepEqual(first.ids, range(1, 20));
      assert.equal(first.totalCount, total);
      assert.equal(first.pageInfo.hasNextPage, true);
      assert.equal(first.pageInfo.hasPreviousPage, false);
    });

    test('first: 0 returns no edges but says whether there is a next page', async () => {
      const empty = await page({ first: 0 });
      assert.deepEqual(empty.ids, []);
      assert.deepEqual(empty.pageInfo, {
        hasNextPage: true,
        hasPreviousPage: false,
        startCursor: null,
        endCursor: null,
      });
    });

    test('a cursor round-trips: after the cursor of client k comes client k + 1', async () => {
      const first = await page({ first: 7 });
      for (const [index, cursor] of first.cursors.entries()) {
        const next = await page({ first: 1, after: cursor });
        assert.deepEqual(next.ids, [index + 2]);
      }
    });
  });

  describe('paging backward with last/before', () => {
    test('visits every client once, pages in id order, walking from the end', async () => {
      const pages: number[][] = [];
      let cursor: string | null = null;
      for (let index = 0; ; index++) {
        const current: Page = await page({ last: 10, before: cursor });
        pages.unshift(current.ids);
        assert.equal(current.pageInfo.hasNextPage, index > 0);
        if (!current.pageInfo.hasPreviousPage) break;
        cursor = current.pageInfo.startCursor;
      }
      assert.deepEqual(pages[0], range(1, 5));
      assert.deepEqual(pages.flat(), range(1, total));
    });

    test('the last page holds the last rows', async () => {
      const last = await page({ last: 3 });
      assert.deepEqual(last.ids, [43, 44, 45]);
      assert.equal(last.pageInfo.hasNextPage, false);
      assert.equal(last.pageInfo.hasPreviousPage, true);
    });

    test('before the first row there is nothing, and nothing before that', async () => {
      const first = await page({ first: 1 });
      const before = await page({ last: 5, before: first.cursors[0] });
      assert.deepEqual(before.ids, []);
      assert.equal(before.pageInfo.hasPreviousPage, false);
      assert.equal(before.pageInfo.hasNextPage, true);
    });

    test('after and before together bound a window', async () => {
      const first = await page({ first: 10 });
      const window = await page({ first: 100, after: first.cursors[2], before: first.cursors[7] });
      assert.deepEqual(window.ids, [4, 5, 6, 7]);
    });
  });

  describe('orderings', () => {
    test('ID_DESC walks from the highest id down', async () => {
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const current: Page = await page({ first: 20, after: cursor, orderBy: 'ID_DESC' });
        seen.push(...current.ids);
        cursor = current.pageInfo.hasNextPage ? current.pageInfo.endCursor : null;
      } while (cursor);
      assert.deepEqual(seen, range(1, total).reverse());
    });

    test('a cursor made for another ordering is refused', async () => {
      const descending = await page({ first: 2, orderBy: 'ID_DESC' });
      const error = await errorOf({ first: 2, after: descending.cursors[0] });
      assert.equal(error.extensions.code, 'BAD_USER_INPUT');
      assert.match(error.message, /ID_DESC/);
    });
  });

  describe('bad paging arguments', () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['first above MAX_PAGE_SIZE names the limit', { first: 101 }, /limit of 100/],
      ['last above MAX_PAGE_SIZE names the limit', { last: 1000 }, /`last` limit of 100/],
      ['a negative first', { first: -1 }, /cannot be negative/],
      ['first and last together', { first: 1, last: 1 }, /not both/],
      ['a cursor that does not decode', { first: 1, after: 'garbage!!' }, /not a valid cursor/],
      [
        'random base64url bytes',
        { first: 1, before: Buffer.from([0xff, 0x00, 0x13]).toString('base64url') },
        /not a valid cursor/,
      ],
      ['a truncated cursor', { first: 1, after: 'WzIsImNsaWVudHMgYnkgSURfQVNDIiwiIiwxX' }, /not a valid cursor/],
      [
        'a cursor with a non-integer key',
        { first: 1, after: Buffer.from('[2,"clients by ID_ASC","","1"]').toString('base64url') },
        /not a valid cursor/,
      ],
      [
        'a cursor of an older version',
        { first: 1, after: Buffer.from('[1,"clients:ID_ASC",1]').toString('base64url') },
        /not a valid cursor/,
      ],
      [
        'a bank account cursor on clients',
        { first: 1, after: Buffer.from('[2,"bankAccounts","",1]').toString('base64url') },
        /cursor for bankAccounts/,
      ],
    ];
    for (const [name, variables, message] of cases) {
      test(`${name} is BAD_USER_INPUT`, async () => {
        const error = await errorOf(variables);
        assert.equal(error.extensions.code, 'BAD_USER_INPUT');
        assert.match(error.message, message);
      });
    }
  });

  test('an empty database answers empty pages in both directions', async (t) => {
    const empty = await startTestServer(t, { DATABASE_URL: (await createBackendDatabase(t, backend, 0)).url });
    for (const variables of [{ first: 10 }, { last: 10 }]) {
      const reply = await empty.graphql(pageQuery, variables);
      assert.deepEqual(reply.json.data.clients, {
        totalCount: 0,
        edges: [],
        pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
      });
    }
  });
});
