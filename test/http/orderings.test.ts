import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { applyOrderingData, compareNullableBytes } from '../fixtures/ordering-data.js';
import { createBackendDatabase, createSuiteCleanup, describeEachBackend } from '../helpers/backends.js';
import { onlyError, startTestServer, type TestServer } from '../helpers/server.js';

const query = `query Page($first: Int, $after: String, $last: Int, $before: String, $orderBy: ClientOrder, $filter: ClientFilter) {
  clients(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy, filter: $filter) {
    totalCount
    edges { cursor node { databaseId str1 str2 } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

interface Row {
  databaseId: number;
  str1: string | null;
  str2: string | null;
}

interface Page {
  rows: Row[];
  cursors: string[];
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const total = 60;
const orders = ['ID_ASC', 'ID_DESC', 'STR1_ASC', 'STR1_DESC', 'STR2_ASC', 'STR2_DESC'] as const;

/** What each ordering must answer, computed here from all rows: bytes, null first, id as tie-breaker. */
function expectedOrder(rows: readonly Row[], order: (typeof orders)[number]): number[] {
  const [field, direction] = order.split('_') as [string, 'ASC' | 'DESC'];
  const sorted = [...rows].sort((a, b) => {
    if (field === 'ID') return a.databaseId - b.databaseId;
    const column = field === 'STR1' ? 'str1' : 'str2';
    return compareNullableBytes(a[column], b[column]) || a.databaseId - b.databaseId;
  });
  const ids = sorted.map((row) => row.databaseId);
  return direction === 'ASC' ? ids : ids.reverse();
}

describeEachBackend('orderings and filters', (backend) => {
  const cleanup = createSuiteCleanup();
  let server: TestServer;
  let all: Row[];

  async function page(variables: Record<string, unknown>): Promise<Page> {
    const reply = await server.graphql(query, variables);
    assert.equal(reply.json.errors, undefined, reply.text);
    const { edges, pageInfo, totalCount } = reply.json.data.clients;
    return {
      rows: edges.map((edge: { node: Row }) => edge.node),
      cursors: edges.map((edge: { cursor: string }) => edge.cursor),
      pageInfo,
      totalCount,
    };
  }

  const errorOf = (variables: Record<string, unknown>) => onlyError(server, query, variables);

  /** Walks the whole list forward (first/after) or backward (last/before), checking the page flags. */
  async function walk(variables: Record<string, unknown>, size: number, backward: boolean): Promise<number[]> {
    const pages: number[][] = [];
    let cursor: string | null = null;
    for (let index = 0; ; index++) {
      const current: Page = await page(
        backward ? { ...variables, last: size, before: cursor } : { ...variables, first: size, after: cursor },
      );
      const ids = current.rows.map((row) => row.databaseId);
      if (backward) pages.unshift(ids);
      else pages.push(ids);
      const [more, earlier] = backward
        ? [current.pageInfo.hasPreviousPage, current.pageInfo.hasNextPage]
        : [current.pageInfo.hasNextPage, current.pageInfo.hasPreviousPage];
      assert.equal(earlier, index > 0, `page ${index} of ${JSON.stringify(variables)}`);
      if (!more) break;
      cursor = backward ? current.pageInfo.startCursor : current.pageInfo.endCursor;
    }
    return pages.flat();
  }

  before(async () => {
    const database = await createBackendDatabase(cleanup, backend, total);
    await applyOrderingData(database);
    server = await startTestServer(cleanup, { DATABASE_URL: database.url });
    all = (await page({ first: 100 })).rows;
    assert.equal(all.length, total);
  });

  for (const order of orders) {
    test(`${order} pages forward and backward in byte order, nulls first when ascending`, async () => {
      const expected = expectedOrder(all, order);
      assert.deepEqual(await walk({ orderBy: order }, 7, false), expected);
      assert.deepEqual(await walk({ orderBy: order }, 7, true), expected);
    });
  }

  test('a window between two cursors that straddles the nulls holds exactly the rows between them', async () => {
    const expected = expectedOrder(all, 'STR1_ASC');
    const cursors = (await page({ first: total, orderBy: 'STR1_ASC' })).cursors;
    const [from, to] = [3, 20];
    const window = await page({ orderBy: 'STR1_ASC', first: 100, after: cursors[from], before: cursors[to] });
    assert.deepEqual(
      window.rows.map((row) => row.databaseId),
      expected.slice(from + 1, to),
    );
    assert.equal(window.pageInfo.hasPreviousPage, true);
  });

  test('a cursor from another ordering is refused and names both', async () => {
    const cursor = (await page({ first: 2, orderBy: 'STR1_ASC' })).cursors[0];
    const error = await errorOf({ first: 2, after: cursor, orderBy: 'STR2_ASC' });
    assert.equal(error.extensions.code, 'BAD_USER_INPUT');
    assert.match(error.message, /clients by STR1_ASC, not for clients by STR2_ASC/);
  });

  const filters: [string, Record<string, unknown>, (row: Row) => boolean][] = [
    ['databaseId in', { databaseId: { in: [3, 5, 999] } }, (row) => [3, 5].includes(row.databaseId)],
    ['isNull: true', { str1: { isNull: true } }, (row) => row.str1 === null],
    ['isNull: false', { str2: { isNull: false } }, (row) => row.str2 !== null],
    ['eq is case-sensitive', { str2: { eq: 'a' } }, (row) => row.str2 === 'a'],
    ['in', { str2: { in: ['A', 'é', 'missing'] } }, (row) => row.str2 === 'A' || row.str2 === 'é'],
    ['startsWith takes % and _ literally', { str2: { startsWith: 'a%_' } }, (row) => row.str2 === 'a%_b'],
    ['startsWith an empty string', { str2: { startsWith: '' } }, (row) => row.str2 !== null],
    [
      'conditions combine with AND',
      { str1: { isNull: false }, str2: { startsWith: 'a' }, databaseId: { in: [3, 4, 8, 30] } },
      (row) => [3, 4, 8].includes(row.databaseId),
    ],
    ['nulls in a filter are ignored', { str1: { eq: null }, databaseId: null }, () => true],
  ];
  for (const [name, filter, matches] of filters) {
    test(`filter: ${name}; totalCount and paging honour it`, async () => {
      const expected = expectedOrder(all.filter(matches), 'STR2_DESC');
      assert.deepEqual(await walk({ orderBy: 'STR2_DESC', filter }, 4, false), expected);
      assert.equal((await page({ first: 1, filter })).totalCount, expected.length);
    });
  }

  test('a cursor made under another filter is refused; the same filter spelt differently is not', async () => {
    const filter = { databaseId: { in: [1, 2, 3, 4] } };
    const cursor = (await page({ first: 2, filter })).cursors[0];
    const error = await errorOf({ first: 2, after: cursor });
    assert.equal(error.extensions.code, 'BAD_USER_INPUT');
    assert.match(error.message, /another filter/);
    const same = await page({ first: 2, after: cursor, filter: { databaseId: { in: [4, 3, 2, 1, 1] } } });
    assert.deepEqual(
      same.rows.map((row) => row.databaseId),
      [2, 3],
    );
  });
});
