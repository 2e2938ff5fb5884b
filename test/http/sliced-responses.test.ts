import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { clientOrders } from '../../src/data/data-source.js';
import { createBackendDatabase, createSuiteCleanup, describeEachBackend } from '../helpers/backends.js';
import { type CursorPool, generatedFilters, generatedOperations } from '../helpers/generated-operations.js';
import { growth, scrape } from '../helpers/metrics.js';
import { startTestServer } from '../helpers/server.js';

/** The raw answer to an operation: status, the headers that matter, and the body as received (decoded). */
async function answer(url: string, query: string, variables: Record<string, unknown>, encoding: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-encoding': encoding },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: await response.text(),
  };
}

/**
 * Which fields fail first, and so which errors are listed and in what order, depends on the order
 * in which independent promises settle. On PostgreSQL a page executed whole gives different bodies
 * from run to run when two fields fail (seen: 2 bodies in 10 runs of one query, one naming the
 * error of root field `a`, the other that of `b`, beside the same `data: null`); slicing changes
 * that order too. So: a body without errors must be the same bytes; with errors, the same status,
 * the same `data` (as text, key order included) and the same distinct error messages and codes,
 * in any order; with `data: null`, the same error codes.
 */
function comparable(reply: Awaited<ReturnType<typeof answer>>) {
  if (!reply.body.startsWith('{"errors"')) return reply;
  const { errors, data } = JSON.parse(reply.body) as {
    errors: { message: string; extensions?: { code?: string } }[];
    data?: unknown;
  };
  const distinct = (describe: (error: (typeof errors)[number]) => unknown) =>
    [...new Set(errors.map((error) => JSON.stringify(describe(error))))].sort();
  return {
    status: reply.status,
    contentType: reply.contentType,
    data: JSON.stringify(data),
    errors:
      data === null
        ? distinct((error) => error.extensions?.code)
        : distinct(({ message, extensions }) => ({ message, extensions })),
  };
}

// Strings JSON must escape, or that look like it: control characters, quotes, backslashes,
// emoji, U+2028, a lone high byte of UTF-8 text (é), `%` and `_`.
const awkward = ['a"b\\c', 'tab\there\nline', '\u0001\u001f\u007f', 'emoji 😀 ～', 'sep\u2028ara\u2029tor', 'é%_', ''];

describeEachBackend('sliced responses and edges written by the database', (backend) => {
  const cleanup = createSuiteCleanup();
  const setup = (async () => {
    const database = await createBackendDatabase(cleanup, backend, 120);
    // Nulls and ties in the string orderings, so slices start and end inside both runs.
    await database.execute('UPDATE clients SET str1 = NULL WHERE id % 7 = 0');
    await database.execute("UPDATE clients SET str2 = 'tie' WHERE id % 5 = 0");
    for (const [index, text] of awkward.entries()) {
      await database.execute('UPDATE clients SET str3 = ?, str8 = ? WHERE id % 11 = ?', [text, text, index]);
      await database.execute('UPDATE addresses SET str8 = ? WHERE id % 13 = ?', [text, index]);
      await database.execute('UPDATE accounts SET str16 = ? WHERE id % 17 = ?', [text, index]);
    }
    await database.execute('UPDATE accounts SET address_id = NULL WHERE id % 4 = 0');
    const env = { DATABASE_URL: database.url, MAX_PAGE_SIZE: '100' };
    // Today's executor, every page whole: the bytes the others must give.
    const reference = await startTestServer(cleanup, { ...env, SLICE_SIZE: '0', PLANNER: 'false' });
    const variants = {
      'executor, slices of 7': await startTestServer(cleanup, { ...env, SLICE_SIZE: '7', PLANNER: 'false' }),
      'planner, slices of 7': await startTestServer(cleanup, { ...env, SLICE_SIZE: '7' }),
      'planner, whole pages': await startTestServer(cleanup, { ...env, SLICE_SIZE: '0' }),
    };
    const cursors = {} as CursorPool;
    for (const order of clientOrders) {
      cursors[order] = [];
      for (const filter of generatedFilters) {
        const reply = await reference.graphql(
          `{ clients(first: 100, orderBy: ${order}${filter ? `, ${filter}` : ''}) { edges { cursor } } }`,
        );
        cursors[order].push(reply.json.data.clients.edges.map((edge: { cursor: string }) => edge.cursor));
      }
    }
    return { reference, variants, cursors };
  })();

  test("property: pages in slices, and edges the database writes, are byte for byte today's executor's whole pages", async () => {
    const { reference, variants, cursors } = await setup;
    const servers = Object.entries(variants);
    const before = await Promise.all(servers.map(([, server]) => scrape(server.url)));
    await fc.assert(
      fc.asyncProperty(
        generatedOperations(cursors),
        fc.constantFrom('identity', 'gzip'),
        async (operation, encoding) => {
          const expected = comparable(await answer(reference.url, operation.query, operation.variables, encoding));
          for (const [name, server] of servers) {
            const actual = await answer(server.url, operation.query, operation.variables, encoding);
            assert.deepEqual(comparable(actual), expected, `${name}: ${operation.query}`);
          }
        },
      ),
      { numRuns: 100 },
    );
    const after = await Promise.all(servers.map(([, server]) => scrape(server.url)));
    // Not a vacuous pass: many responses really went in slices, many pages were written by SQL.
    const grew = (index: number, series: string) =>
      growth(before[index] ?? new Map(), after[index] ?? new Map(), series);
    assert.ok(grew(0, 'graphql_response_slices_total') > 100);
    assert.ok(grew(1, 'graphql_response_slices_total') > 100);
    assert.ok(grew(1, 'graphql_operations_by_edges_maker_total{made_by="sql"}') > 30);
    assert.ok(grew(2, 'graphql_operations_by_edges_maker_total{made_by="sql"}') > 30);
  });
});

test('a large page in slices: the first bytes come long before the last, and gzip is streamed per slice', async (t) => {
  const database = await createBackendDatabase(t, 'sqlite', 20_000, 'full');
  const server = await startTestServer(t, { DATABASE_URL: database.url, MAX_PAGE_SIZE: '20000', SLICE_SIZE: '500' });
  const query = `{ clients(first: 20000) { pageInfo { endCursor } edges { cursor node { id str1 address { str2 }
    bankAccounts { edges { node { id str3 } } } } } } }`;
  const started = performance.now();
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-encoding': 'gzip, br' },
    body: JSON.stringify({ query }),
  });
  assert.equal(response.headers.get('content-encoding'), 'gzip');
  assert.equal(response.headers.get('content-length'), null, 'sent chunked, as produced');
  const reader = response.body?.getReader();
  assert.ok(reader);
  const first = await reader.read();
  const firstByteMs = performance.now() - started;
  const chunks = [Buffer.from(first.value ?? [])];
  for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(Buffer.from(next.value));
  const totalMs = performance.now() - started;
  const body = JSON.parse(Buffer.concat(chunks).toString());
  assert.equal(body.data.clients.edges.length, 20_000);
  assert.ok(firstByteMs < totalMs / 4, `first bytes after ${firstByteMs} ms of ${totalMs} ms`);
});
