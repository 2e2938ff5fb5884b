import assert from 'node:assert/strict';
import { once } from 'node:events';
import { type IncomingMessage, request } from 'node:http';
import { test } from 'node:test';
import { createTestDatabase } from '../helpers/database.js';
import { spawnService, waitFor } from '../helpers/process.js';
import { exportQuery } from '../helpers/queries.js';

/**
 * POSTs the 40,000-client export with node:http, uncompressed (20 MB, so the server is still
 * writing it when it stops accepting). undici's fetch is not used for these: it reports
 * "terminated" when a keep-alive connection's FIN arrives while its paused reader still holds
 * the rest of a complete response, which is the client's doing (see src/server/drain.ts).
 */
function postExport(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-encoding': 'identity' },
    });
    req.on('response', resolve).on('error', reject);
    req.end(JSON.stringify({ query: exportQuery(40_000) }));
  });
}

async function readAll(response: IncomingMessage, chunks: Buffer[] = []): Promise<unknown> {
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

test('SIGTERM: not ready at once, still serving for the delay, in-flight exports arrive whole, exit 0', async (t) => {
  const database = createTestDatabase(t, 40_000, 'seed');
  const service = await spawnService(t, {
    DATABASE_URL: database.url,
    MAX_PAGE_SIZE: '40000',
    SHUTDOWN_DELAY_MS: '1500',
    SHUTDOWN_GRACE_MS: '30000',
  });
  await waitFor(async () => (await fetch(`${service.url}/readyz`)).ok, 20_000);
  const exited = once(service.child, 'exit');

  // One export is being sent (its first bytes read, then paused), one is being executed.
  const sending = await postExport(service.url);
  assert.equal(sending.statusCode, 200);
  const [first] = (await once(sending, 'data')) as [Buffer];
  sending.pause();
  const executing = postExport(service.url).then((response) => readAll(response));
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
  const sent = (await readAll(sending, [first])) as { data: { clients: { edges: unknown[] } } };
  assert.equal(sent.data.clients.edges.length, 40_000, 'the response being sent arrived whole');
  const executed = (await executing) as { data: { clients: { edges: unknown[] } } };
  assert.equal(executed.data.clients.edges.length, 40_000, 'the response being executed arrived whole');

  const [code] = await exited;
  assert.equal(code, 0);
  const messages = service.lines.map((line) => JSON.parse(line).msg);
  assert.ok(messages.indexOf('stopped') > messages.indexOf('shutting down: not ready, still serving'), messages.join());
});
