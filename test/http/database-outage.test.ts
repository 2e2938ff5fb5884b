import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDedicatedPostgresDatabase, postgresSkipReason } from '../helpers/backends.js';
import { waitFor } from '../helpers/process.js';
import { startTestServer } from '../helpers/server.js';

const pageQuery = '{ clients(first: 3) { totalCount edges { node { databaseId } } } }';

test('PostgreSQL going away: 503 UNAVAILABLE with Retry-After, no internals, readiness 503, then recovery without a restart', {
  skip: postgresSkipReason,
}, async (t) => {
  const database = await createDedicatedPostgresDatabase(t, 10);
  const server = await startTestServer(t, { DATABASE_URL: database.url });
  const ready = async () => (await fetch(`${server.url}/.well-known/ready`)).status;
  assert.equal((await server.graphql(pageQuery)).json.data.clients.totalCount, 10);
  assert.equal(await ready(), 200);

  await database.goAway();

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

  await database.comeBack();
  await waitFor(async () => (await ready()) === 200, 10_000);
  const back = await server.graphql(pageQuery);
  assert.equal(back.status, 200, back.text);
  assert.equal(back.json.data?.clients.totalCount, 10, back.text);
});
