import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { type ClientOrder, clientOrders } from '../../src/data/data-source.js';
import { createBackendDatabase, createSuiteCleanup, describeEachBackend } from '../helpers/backends.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const pageQuery = `query ($first: Int, $last: Int, $after: String, $before: String, $order: ClientOrder) {
  clients(first: $first, last: $last, after: $after, before: $before, orderBy: $order) {
    edges { cursor node { databaseId } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;

interface Walk {
  order: ClientOrder;
  size: number;
  backward: boolean;
}

/**
 * Pages through every client with `first`/`after` (or `last`/`before`), running `between`
 * before each next page. Answers the ids in list order.
 */
async function walk(server: TestServer, { order, size, backward }: Walk, between = async () => {}): Promise<number[]> {
  const ids: number[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const variables = backward ? { last: size, before: cursor, order } : { first: size, after: cursor, order };
    const reply = await server.graphql(pageQuery, variables);
    assert.equal(reply.json.errors, undefined, reply.text);
    const { edges, pageInfo } = reply.json.data.clients;
    const page = edges.map((edge: { node: { databaseId: number } }) => edge.node.databaseId);
    if (backward) ids.unshift(...page);
    else ids.push(...page);
    if (!(backward ? pageInfo.hasPreviousPage : pageInfo.hasNextPage)) return ids;
    assert.equal(page.length, size, 'only the last page may be short');
    cursor = backward ? pageInfo.startCursor : pageInfo.endCursor;
    await between();
  }
  throw new Error('the walk did not end');
}

const orders = fc.constantFrom(...clientOrders);
const sizes = fc.integer({ min: 1, max: 30 });

describeEachBackend('paging properties', (backend) => {
  const cleanup = createSuiteCleanup();
  const setup = (async () => {
    const database = await createBackendDatabase(cleanup, backend, 80);
    const server = await startTestServer(cleanup, { DATABASE_URL: database.url });
    return { database, server };
  })();

  test('property: walking forward and backward yields the same rows in the same order, each once', async () => {
    const { server } = await setup;
    await fc.assert(
      fc.asyncProperty(orders, sizes, sizes, async (order, forwardSize, backwardSize) => {
        const whole = await walk(server, { order, size: 100, backward: false });
        const forward = await walk(server, { order, size: forwardSize, backward: false });
        const backward = await walk(server, { order, size: backwardSize, backward: true });
        assert.deepEqual(forward, whole);
        assert.deepEqual(backward, whole);
        assert.equal(new Set(whole).size, whole.length, 'no duplicates');
      }),
      { numRuns: 20 },
    );
  });

  test('property: with rows inserted and deleted between pages, no row present throughout is skipped or repeated', async () => {
    const { database, server } = await setup;
    // Inserted rows take values that tie with and sort among the seeded ones (and nulls).
    const value = fc.option(fc.constantFrom('a', 'B', 'm', 'zz', ''), { nil: null });
    const change = fc.oneof(
      fc.record({ insert: fc.integer({ min: 1, max: 200 }), str1: value, str2: value }),
      fc.record({ remove: fc.integer({ min: 1, max: 200 }) }),
    );
    const walks = fc.record({ order: orders, size: sizes, backward: fc.boolean() });
    let insertedRowsSeen = 0;
    await fc.assert(
      fc.asyncProperty(
        walks,
        fc.array(fc.array(change, { maxLength: 4 }), { maxLength: 60 }),
        async (shape, changes) => {
          const rows = (await database.execute('SELECT id FROM clients')) as { id: number }[];
          const present = new Set(rows.map((row) => Number(row.id)));
          const before = new Set(present);
          const touched = new Set<number>();
          let step = 0;
          const seen = await walk(server, shape, async () => {
            for (const next of changes[step++] ?? []) {
              if ('insert' in next && !present.has(next.insert)) {
                await database.execute('INSERT INTO clients (id, address_id, str1, str2) VALUES (?, NULL, ?, ?)', [
                  next.insert,
                  next.str1,
                  next.str2,
                ]);
                present.add(next.insert);
                touched.add(next.insert);
              } else if ('remove' in next && present.has(next.remove)) {
                await database.execute('DELETE FROM accounts WHERE client_id = ?', [next.remove]);
                await database.execute('DELETE FROM clients WHERE id = ?', [next.remove]);
                present.delete(next.remove);
                touched.add(next.remove);
              }
            }
          });
          // A row deleted and inserted again (with another sort value) is a new row and may be seen twice.
          const steady = seen.filter((id) => !touched.has(id));
          assert.equal(new Set(steady).size, steady.length, `a row present throughout came twice: ${seen}`);
          insertedRowsSeen += seen.filter((id) => !before.has(id)).length;
          const missed = [...before].filter((id) => !touched.has(id) && !seen.includes(id));
          assert.deepEqual(missed, [], 'rows present throughout were skipped');
        },
      ),
      { numRuns: 40 },
    );
    // Proves the walks read the changes live: the service's connections see each commit.
    assert.ok(insertedRowsSeen > 0, 'no walk ever saw a row inserted during it');
  });
});
