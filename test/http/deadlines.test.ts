import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { createBackendDatabase, describeEachBackend } from '../helpers/backends.js';
import { waitFor } from '../helpers/process.js';
import { exportQuery } from '../helpers/queries.js';
import { type GraphQLReply, startTestServer } from '../helpers/server.js';

const timeoutMs = 1_000;

/** POSTs an operation; answers the reply and how long it took. */
async function timed(url: string, query: string): Promise<{ reply: GraphQLReply; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query }),
  });
  const text = await response.text();
  const reply = { status: response.status, headers: response.headers, contentType: null, text, json: JSON.parse(text) };
  return { reply, ms: performance.now() - started };
}

const assertTimedOut = ({ reply }: { reply: GraphQLReply }) => {
  assert.equal(reply.status, 504, reply.text.slice(0, 300));
  assert.equal(reply.json.errors?.[0]?.extensions?.code, 'TIMEOUT', reply.text.slice(0, 300));
};

describeEachBackend('REQUEST_TIMEOUT_MS', (backend) => {
  test('an operation queued behind a long one answers 504 TIMEOUT at its deadline: queueing counts', {
    timeout: 120_000,
  }, async (t) => {
    const database = await createBackendDatabase(t, backend, 40_000);
    const server = await startTestServer(t, {
      DATABASE_URL: database.url,
      MAX_PAGE_SIZE: '40000',
      WORKERS: '1',
      // Whole pages executed by graphql-jit: the export is one task that holds the only worker for seconds.
      SLICE_SIZE: '0',
      PLANNER: 'false',
      REQUEST_TIMEOUT_MS: String(timeoutMs),
    });
    // The second export waits behind the first for longer than its deadline.
    const running = timed(server.url, exportQuery(40_000));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const queued = await timed(server.url, exportQuery(10_000));
    const ran = await running;
    assertTimedOut(queued);
    assert.ok(queued.ms < timeoutMs + 500, `the queued operation answered after ${Math.round(queued.ms)} ms`);
    assertTimedOut(ran);
    // Both deadlines cost nothing lasting: the service answers the next operation.
    await waitFor(async () => (await server.graphql('{ clients(first: 1) { totalCount } }')).status === 200, 10_000);
  });

  test('PostgreSQL cancels the statement at REQUEST_TIMEOUT_MS: it does not run on after the 504', {
    timeout: 60_000,
    skip: backend === 'sqlite' && 'SQLite runs in the worker: there is no server-side statement to cancel',
  }, async (t) => {
    const database = await createBackendDatabase(t, backend, 10);
    const server = await startTestServer(t, { DATABASE_URL: database.url, REQUEST_TIMEOUT_MS: String(timeoutMs) });
    // A lock held by the test blocks the service's read: a statement that would wait forever.
    const locker = new pg.Client({ connectionString: database.url });
    await locker.connect();
    t.after(() => locker.end());
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE clients IN ACCESS EXCLUSIVE MODE');
    const { rows } = await locker.query('SELECT pg_backend_pid() AS pid');
    const blocked = async () =>
      Number(
        (
          await locker.query('SELECT count(*) AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [
            rows[0].pid,
          ])
        ).rows[0].n,
      );

    try {
      const reply = timed(server.url, '{ clients(first: 1) { totalCount } }');
      await waitFor(async () => (await blocked()) === 1, 5_000);
      assertTimedOut(await reply);
      // Cancelled by statement_timeout, not left waiting on the lock after the caller got 504.
      await waitFor(async () => (await blocked()) === 0, 1_000);
    } finally {
      // Before the schema is dropped, which would wait on this lock.
      await locker.query('ROLLBACK');
    }
  });
});
