import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import pg from 'pg';
import { seedPostgres } from '../../src/data/seed-postgres.js';
import { postgresSkipReason, testPostgresUrl } from '../helpers/backends.js';
import { waitFor } from '../helpers/process.js';
import { startTestServer } from '../helpers/server.js';

const pageQuery = '{ clients(first: 3) { totalCount edges { node { databaseId } } } }';

test('PostgreSQL going away: 503 UNAVAILABLE with Retry-After, no internals, readiness 503, then recovery without a restart', {
  skip: postgresSkipReason,
}, async (t) => {
  // A database of its own, so that refusing its connections touches nothing else.
  const name = `test_outage_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  t.after(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });
  const url = new URL(testPostgresUrl ?? '');
  url.pathname = `/${name}`;
  await seedPostgres({ url: url.toString(), clients: 10, profile: 'full' });

  const server = await startTestServer(t, { DATABASE_URL: url.toString() });
  const ready = async () => (await fetch(`${server.url}/.well-known/ready`)).status;
  assert.equal((await server.graphql(pageQuery)).json.data.clients.totalCount, 10);
  assert.equal(await ready(), 200);

  await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
  await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);

  const down = await server.graphql(pageQuery);
  assert.equal(down.status, 503, down.text);
  assert.equal(down.headers.get('retry-after'), '5');
  assert.equal(down.json.errors?.[0]?.extensions?.code, 'UNAVAILABLE', down.text);
  assert.match(down.json.errors[0].message, /database is unavailable/);
  assert.doesNotMatch(
    down.text,
    /SELECT|clients WHERE|at .*\.js:\d+|allow connections/i,
    'no SQL, stack or driver text',
  );
  await waitFor(async () => (await ready()) === 503, 10_000);

  await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`);
  await waitFor(async () => (await ready()) === 200, 10_000);
  const back = await server.graphql(pageQuery);
  assert.equal(back.status, 200, back.text);
  assert.equal(back.json.data?.clients.totalCount, 10, back.text);
});
