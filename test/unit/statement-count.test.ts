import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDataSource } from '../../src/data/open-data-source.js';
import { runOperation } from '../../src/executor/run-operation.js';
import { createEdgesWriter } from '../../src/planner/index.js';
import { schema } from '../../src/schema/index.js';
import { createBackendDatabase, describeEachBackend } from '../helpers/backends.js';
import type { Cleanup } from '../helpers/cleanup.js';

const pageQuery = (size: number, after = '') => `{
  clients(first: ${size}${after ? `, after: "${after}"` : ''}) {
    totalCount
    edges { cursor node { id str1 address { id str8 }
      bankAccounts(first: 2) { edges { cursor node { id str16 address { id str1 } } } pageInfo { hasNextPage } } } }
    pageInfo { hasNextPage endCursor }
  } }`;

/** A data source that records the SQL of every statement it runs. */
function openCounting(t: Cleanup, url: string) {
  const statements: string[] = [];
  const dataSource = openDataSource(url, {
    poolSize: 2,
    statementTimeoutMs: 10_000,
    onStatement: (sql) => statements.push(sql),
  });
  t.after(() => dataSource.close());
  return { dataSource, statements };
}

describeEachBackend('statements per operation', (backend) => {
  test('the SQL statements per page do not grow with the page size', async (t) => {
    const database = await createBackendDatabase(t, backend, 300);
    const { dataSource, statements } = openCounting(t, database.url);
    const context = { dataSource, pageSizes: { defaultSize: 20, maxSize: 300 } };

    const counts: number[] = [];
    let cursor = '';
    for (const size of [1, 10, 100, 250]) {
      statements.length = 0;
      const { text: body } = await runOperation(schema, { kind: 'operation', query: pageQuery(size, cursor) }, context);
      const result = JSON.parse(body);
      assert.equal(result.errors, undefined, body);
      assert.equal(result.data.clients.edges.length, Math.min(size, 300 - (cursor ? 1 : 0)));
      counts.push(statements.length);
      cursor = result.data.clients.edges[0].cursor;
    }
    // page, existence probe (with a cursor), count, client addresses, account pages, account addresses
    assert.ok(
      counts.every((count) => count <= 6),
      `statements per page: ${counts}`,
    );
    assert.deepEqual(counts.slice(1), [counts[1], counts[1], counts[1]], `statements per page: ${counts}`);
  });

  test('node lookups of many ids batch into one statement per type', async (t) => {
    const database = await createBackendDatabase(t, backend, 50);
    const { dataSource, statements } = openCounting(t, database.url);
    const ids = Array.from({ length: 50 }, (_, i) => Buffer.from(`Client:${i + 1}`).toString('base64'));
    const query = `{ nodes(ids: ${JSON.stringify(ids)}) { id ... on Client { address { id } } } }`;
    const { text: body } = await runOperation(
      schema,
      { kind: 'operation', query },
      { dataSource, pageSizes: { defaultSize: 20, maxSize: 100 } },
    );
    assert.equal(JSON.parse(body).data.nodes.length, 50);
    assert.equal(statements.length, 2, statements.join('\n'));
  });

  test('with the planner, a page with nested accounts and addresses is one statement (and its count and far probe)', async (t) => {
    const database = await createBackendDatabase(t, backend, 300);
    const { dataSource, statements } = openCounting(t, database.url);
    const pageSizes = { defaultSize: 20, maxSize: 300 };
    const edgesWriter = createEdgesWriter(dataSource, pageSizes);
    const run = async (query: string) => {
      statements.length = 0;
      const { text } = await runOperation(schema, { kind: 'operation', query }, { dataSource, pageSizes, edgesWriter });
      const result = JSON.parse(text);
      assert.equal(result.errors, undefined, text);
      return result;
    };
    const withoutCount = pageQuery(20).replace('totalCount', '');
    const first = await run(withoutCount);
    assert.equal(first.data.clients.edges.length, 20);
    assert.equal(statements.length, 1, statements.join('\n'));
    await run(pageQuery(20, first.data.clients.pageInfo.endCursor));
    assert.equal(statements.length, 3, `page, count and far-side probe: ${statements.join('\n')}`);
  });
});

describeEachBackend('totalCount', (backend) => {
  test('is counted only when selected: one COUNT statement with it, none without', async (t) => {
    const database = await createBackendDatabase(t, backend, 30);
    const { dataSource, statements } = openCounting(t, database.url);
    const context = { dataSource, pageSizes: { defaultSize: 20, maxSize: 100 } };
    const counts = async (selection: string) => {
      statements.length = 0;
      const query = `{ clients(first: 5, filter: { str3: { isNull: false } }) { ${selection} } }`;
      const { text: body } = await runOperation(schema, { kind: 'operation', query }, context);
      assert.equal(JSON.parse(body).errors, undefined, body);
      return statements.filter((sql) => /\bCOUNT\(/i.test(sql)).length;
    };
    assert.equal(await counts('edges { node { id } } pageInfo { hasNextPage }'), 0);
    assert.equal(await counts('totalCount edges { node { id } }'), 1);
    assert.equal(await counts('totalCount'), 1);
  });
});
