import assert from 'node:assert/strict';
import { Agent, get } from 'node:http';
import { test } from 'node:test';
import { createTestDatabase } from '../helpers/database.js';
import { startTestServer } from '../helpers/server.js';

const connectionHeader = (url: string, agent: Agent) =>
  new Promise<string | undefined>((resolve, reject) => {
    get(url, { agent }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.headers.connection));
    }).on('error', reject);
  });

test('while draining, responses close their connection, so keep-alive callers do not hold the process', async (t) => {
  const database = createTestDatabase(t, 10);
  const server = await startTestServer(t, { DATABASE_URL: database.url });
  const agent = new Agent({ keepAlive: true });
  t.after(() => agent.destroy());
  const query = `${server.url}/graphql?query=${encodeURIComponent('{ clients(first: 1) { totalCount } }')}`;
  assert.equal(await connectionHeader(query, agent), 'keep-alive');

  server.health.markNotReady('draining');
  assert.equal(await connectionHeader(query, agent), 'close');
  assert.equal(await connectionHeader(`${server.url}/.well-known/live`, agent), 'close');
  const started = performance.now();
  await server.close();
  assert.ok(performance.now() - started < 2_000, 'closed without waiting for keepAliveTimeout (65 s)');
});
