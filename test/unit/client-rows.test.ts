import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { ClientRowsQuery, DataSource } from '../../src/data/data-source.js';
import { createPostgresDataSource } from '../../src/data/postgres.js';
import { createSqliteDataSource } from '../../src/data/sqlite.js';
import { createBackendDatabase, createSuiteCleanup, postgresSkipReason } from '../helpers/backends.js';
import { createTestDatabase } from '../helpers/database.js';

const page = (limit: number): ClientRowsQuery => ({
  order: 'STR1_ASC',
  filter: {},
  limit,
  fromEnd: false,
  select: () => 'str2',
});

async function batchesOf(dataSource: DataSource, query: ClientRowsQuery): Promise<unknown[][][]> {
  const batches: unknown[][][] = [];
  for await (const batch of dataSource.clientRows(query)) batches.push(batch);
  return batches;
}

describe('client rows from PostgreSQL come through a cursor', { skip: postgresSkipReason }, () => {
  const cleanup = createSuiteCleanup();
  let dataSource: DataSource;

  before(async () => {
    const database = await createBackendDatabase(cleanup, 'postgres', 30);
    // One connection: a cursor left open would make every later statement wait for it.
    dataSource = createPostgresDataSource({
      url: database.url,
      poolSize: 1,
      statementTimeoutMs: 5_000,
      cursorBatchRows: 4,
    });
    cleanup.after(() => dataSource.close());
  });

  test('a page arrives in batches of the cursor size, key columns first', async () => {
    const batches = await batchesOf(dataSource, page(10));
    assert.deepEqual(
      batches.map((batch) => batch.length),
      [4, 4, 2],
    );
    // The key of a string ordering is the id and the value, then the select list's column.
    assert.equal(batches[0]?.[0]?.length, 3);
  });

  test('stopping after the first batch closes the cursor and frees the connection', async () => {
    for (let run = 0; run < 3; run++) {
      for await (const batch of dataSource.clientRows(page(30))) {
        assert.equal(batch.length, 4);
        break;
      }
    }
    const [row] = await dataSource.clientsByIds([7]);
    assert.equal(row?.id, 7);
  });

  test('a statement that fails mid-page fails the read and leaves the pool usable', async () => {
    const failing = { ...page(30), select: () => 'CASE WHEN id = 9 THEN 1 / (id - 9) ELSE id END' };
    await assert.rejects(batchesOf(dataSource, failing), /division by zero/);
    const [row] = await dataSource.clientsByIds([8]);
    assert.equal(row?.id, 8);
  });
});

test('client rows from SQLite come in one batch per statement, in ordering order from either end', async (t) => {
  const { path } = createTestDatabase(t, 30);
  const dataSource = createSqliteDataSource({ path });
  t.after(() => dataSource.close());
  const forward = await batchesOf(dataSource, { ...page(10), order: 'ID_ASC', select: () => "'x'" });
  assert.deepEqual(forward, [Array.from({ length: 10 }, (_, index) => [index + 1, 'x'])]);
  const backward = await batchesOf(dataSource, { ...page(3), order: 'ID_ASC', fromEnd: true, select: () => "'x'" });
  assert.deepEqual(backward, [
    [
      [28, 'x'],
      [29, 'x'],
      [30, 'x'],
    ],
  ]);
});
