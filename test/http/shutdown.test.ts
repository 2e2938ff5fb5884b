import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { createTestDatabase } from '../helpers/database.js';
import { spawnService, waitFor } from '../helpers/process.js';
import { exportQuery } from '../helpers/queries.js';

test('SIGTERM: not ready at once, still serving for the delay, in-flight exports arrive whole, exit 0', async (t) => {
  const database = createTestDatabase(t, 40_000, 'seed');
  const service = await spawnService(t, {
    DATABASE_URL: database.url,
    MAX_PAGE_SIZE: '40000',
    SHUTDOWN_DELAY_MS: '1500',
    SHUTDOWN_GRACE_MS: '30000',
  });
  await waitFor(async () => (await fetch(`${service.url}/readyz`)).ok, 20_000);
  const postExport = () =>
    fetch(`${service.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: exportQuery(40_000) }),
    });
  const exited = once(service.child, 'exit');

  // One export is being sent (its first bytes read, the rest not yet), one is being executed.
  const sending = await postExport();
  assert.equal(sending.status, 200);
  const reader = sending.body?.getReader();
  const first = await reader?.read();
  assert.ok(first?.value && first.value.byteLength > 0);
  const executing = postExport().then(async (response) => ({ status: response.status, text: await response.text() }));
  await new Promise((resolve) => setTimeout(resolve, 200));

  service.child.kill('SIGTERM');
  await waitFor(async () => (await fetch(`${service.url}/readyz`)).status === 503, 1000);
  assert.match(await (await fetch(`${service.url}/.well-known/ready`)).text(), /draining/);
  assert.equal((await fetch(`${service.url}/livez`)).status, 200, 'alive while draining');
  const duringDelay = await fetch(
    `${service.url}/graphql?query=${encodeURIComponent('{ clients(first: 1) { totalCount } }')}`,
  );
  assert.equal(duringDelay.status, 200, 'requests are still served during SHUTDOWN_DELAY_MS');
  assert.equal((await duringDelay.json()).data.clients.totalCount, 40_000);

  // Past the delay the server accepts no new connections, but what it started goes on.
  await new Promise((resolve) => setTimeout(resolve, 1600));
  const chunks = [first.value];
  for (let chunk = await reader?.read(); chunk && !chunk.done; chunk = await reader?.read()) chunks.push(chunk.value);
  const sent = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  assert.equal(sent.data.clients.edges.length, 40_000, 'the response being sent arrived whole');

  const executed = await executing;
  assert.equal(executed.status, 200);
  assert.equal(
    JSON.parse(executed.text).data.clients.edges.length,
    40_000,
    'the response being executed arrived whole',
  );

  const [code] = await exited;
  assert.equal(code, 0);
  const messages = service.lines.map((line) => JSON.parse(line).msg);
  assert.ok(messages.indexOf('stopped') > messages.indexOf('shutting down: not ready, still serving'), messages.join());
});
