import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { createTestDatabase } from '../helpers/database.js';
import { startTestServer } from '../helpers/server.js';

const database = createTestDatabase({ after }, 80);
const server = await startTestServer({ after }, { DATABASE_URL: database.url });

const pageQuery = `query ($first: Int, $last: Int, $after: String, $before: String, $order: ClientOrder) {
  clients(first: $first, last: $last, after: $after, before: $before, orderBy: $order) {
    edges { cursor node { databaseId } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;

type Order = 'ID_ASC' | 'ID_DESC';
interface Walk {
  order: Order;
  size: number;
  backward: boolean;
}

/**
 * Pages through every client with `first`/`after` (or `last`/`before`), calling `between`
 * before each next page. Answers the ids in list order.
 */
async function walk({ order, size, backward }: Walk, between: () => void = () => {}): Promise<number[]> {
  const ids: number[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const variables = backward ? { last: size, before: cursor, order } : { first: size, after: cursor, order };
    const reply = await server.graphql(pageQuery, variables);
    assert.equal(reply.json.errors, undefined, reply.text);
    const { edges, pageInfo } = reply.json.data.clients;
    const page = edges.map((edge: { node: { databaseId: number } }) => edge.node.databaseId);
    assert.ok(page.length <= size);
    if (backward) ids.unshift(...page);
    else ids.push(...page);
    const more = backward ? pageInfo.hasPreviousPage : pageInfo.hasNextPage;
    if (!more) return ids;
    assert.equal(page.length, size, 'only the last page may be short');
    cursor = backward ? pageInfo.startCursor : pageInfo.endCursor;
    between();
  }
  throw new Error('the walk did not end');
}

const walks = fc.record({
  order: fc.constantFrom<Order>('ID_ASC', 'ID_DESC'),
  size: fc.integer({ min: 1, max: 30 }),
  backward: fc.boolean(),
});

const inOrder = (ids: number[], order: Order) =>
  ids.every(
    (id, index) => index === 0 || (order === 'ID_ASC' ? id > (ids[index - 1] ?? 0) : id < (ids[index - 1] ?? 0)),
  );

test('property: walking forward and backward yields the same rows in the same order, each once', async () => {
  const reader = new Database(database.path, { readonly: true });
  after(() => reader.close());
  const all = (reader.prepare('SELECT id FROM clients ORDER BY id').all() as { id: number }[]).map((row) => row.id);
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom<Order>('ID_ASC', 'ID_DESC'),
      fc.integer({ min: 1, max: 30 }),
      fc.integer({ min: 1, max: 30 }),
      async (order, forwardSize, backwardSize) => {
        const forward = await walk({ order, size: forwardSize, backward: false });
        const backward = await walk({ order, size: backwardSize, backward: true });
        assert.deepEqual(forward, backward);
        assert.equal(new Set(forward).size, forward.length, 'no duplicates');
        assert.deepEqual(forward, order === 'ID_ASC' ? all : [...all].reverse());
      },
    ),
    { numRuns: 25 },
  );
});

test('property: with rows inserted and deleted between pages, no row present throughout is skipped or repeated', async () => {
  const writer = new Database(database.path);
  after(() => writer.close());
  const ids = () => (writer.prepare('SELECT id FROM clients').all() as { id: number }[]).map((row) => row.id);
  const insert = writer.prepare('INSERT OR IGNORE INTO clients (id, address_id, str1) VALUES (?, NULL, ?)');
  const removeAccounts = writer.prepare('DELETE FROM accounts WHERE client_id = ?');
  const remove = writer.prepare('DELETE FROM clients WHERE id = ?');
  const change = fc.oneof(
    fc.record({ insert: fc.integer({ min: 1, max: 200 }) }),
    fc.record({ remove: fc.integer({ min: 1, max: 200 }) }),
  );

  let insertedRowsSeen = 0;
  await fc.assert(
    fc.asyncProperty(walks, fc.array(fc.array(change, { maxLength: 4 }), { maxLength: 60 }), async (shape, changes) => {
      const before = new Set(ids());
      const touched = new Set<number>();
      let step = 0;
      const seen = await walk(shape, () => {
        for (const next of changes[step++] ?? []) {
          if ('insert' in next) {
            if (insert.run(next.insert, 'inserted during a walk').changes > 0) touched.add(next.insert);
          } else if (before.has(next.remove) || touched.has(next.remove)) {
            removeAccounts.run(next.remove);
            remove.run(next.remove);
            touched.add(next.remove);
          }
        }
      });
      assert.equal(new Set(seen).size, seen.length, `a row came twice: ${seen}`);
      assert.ok(inOrder(seen, shape.order), `out of order: ${seen}`);
      insertedRowsSeen += seen.filter((id) => !before.has(id)).length;
      const throughout = [...before].filter((id) => !touched.has(id));
      const missed = throughout.filter((id) => !seen.includes(id));
      assert.deepEqual(missed, [], 'rows present throughout were skipped');
    }),
    { numRuns: 40 },
  );
  // Proves the walks read the changes live (the service's read-only connection sees each commit).
  assert.ok(insertedRowsSeen > 0, 'no walk ever saw a row inserted during it');
});
