import assert from 'node:assert/strict';
import { once } from 'node:events';
import { type IncomingMessage, request } from 'node:http';
import { connect } from 'node:net';
import { after, test } from 'node:test';
import { createTestDatabase } from '../helpers/database.js';
import { type ServiceProcess, spawnService, waitFor } from '../helpers/process.js';
import { exportQuery } from '../helpers/queries.js';

// 40,000 clients of the original data: an export is about 20 MB, more than the socket buffers hold.
const database = createTestDatabase({ after }, 40_000, 'seed');

const shutdownMessages = [
  'shutting down: not ready, still serving',
  'no longer accepting connections; finishing requests',
  'stopped',
];

const messagesOf = (service: ServiceProcess) => service.lines.map((line) => JSON.parse(line).msg as string);

/** Resolves once the service has logged `message`. */
const logged = (service: ServiceProcess, message: string) =>
  waitFor(async () => messagesOf(service).includes(message), 20_000);

/** What a new TCP connection to the service meets: 'connected', or the error's code. */
function connectOutcome(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** Posts the export and reads its first chunk, then stops reading: the server cannot finish sending it. */
async function pausedExport(url: string): Promise<{ response: IncomingMessage; first: Buffer }> {
  const response = await postExport(url);
  assert.equal(response.statusCode, 200);
  const [first] = (await once(response, 'data')) as [Buffer];
  response.pause();
  return { response, first };
}

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

test('SIGTERM: not ready at once, still serving for the delay, then no new connections; in-flight exports arrive whole, exit 0', async (t) => {
  const service = await spawnService(t, {
    DATABASE_URL: database.url,
    MAX_PAGE_SIZE: '40000',
    SHUTDOWN_DELAY_MS: '1500',
    SHUTDOWN_GRACE_MS: '30000',
  });
  await waitFor(async () => (await fetch(`${service.url}/readyz`)).ok, 20_000);
  const exited = once(service.child, 'exit');

  // One export is being sent (its first bytes read, then paused), one is being executed.
  const { response: sending, first } = await pausedExport(service.url);
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
  await logged(service, shutdownMessages[1] ?? '');
  assert.equal(await connectOutcome(service.url), 'ECONNREFUSED', 'a new connection is refused');
  const sent = (await readAll(sending, [first])) as { data: { clients: { edges: unknown[] } } };
  assert.equal(sent.data.clients.edges.length, 40_000, 'the response being sent arrived whole');
  const executed = (await executing) as { data: { clients: { edges: unknown[] } } };
  assert.equal(executed.data.clients.edges.length, 40_000, 'the response being executed arrived whole');

  const [code] = await exited;
  assert.equal(code, 0);
  const messages = messagesOf(service);
  assert.deepEqual(
    messages.filter((message) => shutdownMessages.includes(message)),
    shutdownMessages,
    messages.join('\n'),
  );
});

test('SIGTERM: a response still unfinished after SHUTDOWN_GRACE_MS has its connection cut, and the process exits 0', {
  timeout: 60_000,
}, async (t) => {
  const graceMs = 1_000;
  const service = await spawnService(t, {
    DATABASE_URL: database.url,
    MAX_PAGE_SIZE: '40000',
    SHUTDOWN_DELAY_MS: '0',
    SHUTDOWN_GRACE_MS: String(graceMs),
  });
  await waitFor(async () => (await fetch(`${service.url}/readyz`)).ok, 20_000);
  const exited = once(service.child, 'exit');
  const { response } = await pausedExport(service.url);
  response.on('error', () => {}); // "aborted": the cut is what this test expects

  service.child.kill('SIGTERM');
  const [code] = await exited;
  assert.equal(code, 0);
  // The server's own clock: from closing the listener to stopping, it waited out the grace.
  const timeOf = (message: string) =>
    service.lines.map((line) => JSON.parse(line)).find((line) => line.msg === message)?.time;
  const waitedMs = timeOf('stopped') - timeOf(shutdownMessages[1] ?? '');
  assert.ok(waitedMs >= graceMs && waitedMs < graceMs + 5_000, `stopped ${waitedMs} ms after it stopped accepting`);
  // A paused reader only sees the cut once it reads on: what was sent, then no end.
  const closed = new Promise((resolve) => response.once('close', resolve));
  response.resume();
  await closed;
  assert.equal(response.complete, false, 'the response was cut, not finished');
});

test('a second signal while draining exits at once', { timeout: 30_000 }, async (t) => {
  const service = await spawnService(t, { DATABASE_URL: database.url, SHUTDOWN_DELAY_MS: '60000' });
  await waitFor(async () => (await fetch(`${service.url}/readyz`)).ok, 20_000);
  const exited = once(service.child, 'exit');
  service.child.kill('SIGTERM');
  await logged(service, shutdownMessages[0] ?? '');
  const second = performance.now();
  service.child.kill('SIGINT');
  const [code] = await exited;
  assert.ok(performance.now() - second < 2_000, 'exited without waiting for SHUTDOWN_DELAY_MS (60 s)');
  assert.equal(code, 1);
  assert.ok(messagesOf(service).includes('second signal: exiting now'));
  assert.ok(!messagesOf(service).includes('stopped'));
});
