import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { type IncomingMessage, request } from 'node:http';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { type Service, startService } from '../../src/service.js';
import type { Cleanup } from '../helpers/cleanup.js';
import { createTestDatabase } from '../helpers/database.js';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver, traceTree } from '../helpers/otlp-receiver.js';
import { exportQuery } from '../helpers/queries.js';
import { postGraphQL } from '../helpers/server.js';

const smallPage = `query SmallPage { clients(first: 20) { edges { cursor node {
  id str1 address { str1 } bankAccounts(first: 2) { edges { node { id str2 } } } } } } }`;

/**
 * An OTLP/HTTP receiver, a database of `clients` rows and a real server (real worker pool) exporting
 * to the receiver, in JSON unless `env` says otherwise. The server closes once: closing is what sends
 * the spans every thread still holds.
 */
async function startTraced(
  t: Cleanup,
  clients: number,
  env: Record<string, string> = {},
): Promise<{ receiver: OtlpReceiver; database: { path: string }; server: Service }> {
  const receiver = await startOtlpReceiver(t);
  const database = createTestDatabase(t, clients);
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    WORKERS: '1',
    DATABASE_URL: database.url,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    ...env,
  });
  const service = await startService(config, createLogger('silent'));
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= service.close();
    return closing;
  };
  t.after(close);
  return { receiver, database, server: { ...service, close } };
}

/** The one span of that name among `spans`. */
function only(spans: ReceivedSpan[], name: string): ReceivedSpan {
  const found = spans.filter((span) => span.name === name);
  assert.equal(found.length, 1, `one ${name} span, got ${found.length}: ${spans.map((span) => span.name).join(', ')}`);
  return found[0] as ReceivedSpan;
}

/**
 * Checks a task's spans below the main thread's wait for a worker: one worker span (in a worker
 * thread) whose children are its SQL statements and its compression.
 */
function checkTask(
  tree: ReturnType<typeof traceTree>,
  wait: ReceivedSpan,
  kind: 'operation' | 'slice',
  encoding: string,
  readsData = true,
) {
  assert.equal(wait.attributes['task.kind'], kind);
  const [worker, ...more] = tree.children(wait);
  assert.ok(worker && more.length === 0, 'the wait for a worker has one child: the task in the worker');
  assert.equal(worker.name, `worker.${kind}`);
  assert.ok(Number(worker.attributes['thread.id']) > 0, 'run in a worker thread (the main thread is 0)');
  // The wait ends when the worker picks the task up (both clocks are the process's; start times are whole ms).
  assert.ok(wait.endNs <= worker.startNs + 3_000_000n, 'the wait ends as the task starts');
  const statements = tree.children(worker).filter((span) => span.attributes['db.system.name'] === 'sqlite');
  assert.equal(statements.length > 0, readsData, 'SQL statements under the task');
  for (const statement of statements) {
    assert.match(String(statement.attributes['db.query.text']), /^SELECT .* FROM /);
    assert.equal(typeof statement.attributes['db.response.returned_rows'], 'number');
  }
  assert.equal(only(tree.children(worker), 'compress').attributes['content.encoding'], encoding);
  return { worker, statements };
}

test('http/json: one trace holds the request, parsing, validation, cost, the wait for a worker, the task in the worker and its SQL', async (t) => {
  const { receiver, server } = await startTraced(t, 50, { OTEL_SERVICE_NAME: 'traced-in-test' });
  const reply = await postGraphQL(server.url, smallPage, undefined, { 'accept-encoding': 'br' });
  assert.equal(reply.status, 200);
  assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
  // Closing flushes: nothing waits for the SDK's 5 s batch delay.
  await server.close();

  assert.ok(receiver.exports.every((received) => received.path === '/v1/traces'));
  const spans = receiver.spans();
  const roots = spans.filter((span) => span.parentSpanId === '');
  assert.deepEqual(
    roots.map((span) => span.name),
    ['POST /graphql'],
    'one trace, for the GraphQL request (probes are not traced)',
  );
  const [request] = roots as [ReceivedSpan];
  assert.equal(request.kind, 2, 'a server span');
  assert.equal(request.attributes['http.route'], '/graphql');
  assert.equal(request.attributes['http.response.status_code'], 200);
  const tree = traceTree(spans, request.traceId);
  assert.equal(tree.spans.length, spans.length, 'every span is in that trace');
  for (const span of tree.spans) {
    assert.equal(span.resource['service.name'], 'traced-in-test');
    if (span !== request) assert.ok(tree.parentOf(span), `${span.name} has its parent in the trace`);
  }

  const main = tree.children(request);
  assert.deepEqual(main.map((span) => span.name).sort(), [
    'graphql.cost',
    'graphql.execute',
    'graphql.parse',
    'graphql.validate',
    'http.send',
  ]);
  const execute = only(main, 'graphql.execute');
  assert.equal(execute.attributes['graphql.operation.name'], 'SmallPage');
  assert.equal(execute.attributes['graphql.operation.type'], 'query');
  const { statements } = checkTask(tree, only(tree.children(execute), 'pool.wait'), 'operation', 'br');
  // Named by the table of the outermost FROM, whether the planner wrote the page or the executor read it.
  assert.ok(
    statements.some((span) => span.name === 'SELECT clients'),
    statements.map((span) => span.name).join(', '),
  );
  const send = only(main, 'http.send');
  assert.equal(send.attributes['response.outcome'], 'complete');
  assert.equal(send.attributes['http.response.body.size'], Number(reply.headers.get('content-length')));
});

test('http/protobuf: a page sent in slices continues the caller trace, with one worker task per slice under the sending', async (t) => {
  const { receiver, server } = await startTraced(t, 50, {
    SLICE_SIZE: '5',
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
  });
  const traceId = randomBytes(16).toString('hex');
  const callerSpanId = randomBytes(8).toString('hex');
  const reply = await postGraphQL(server.url, smallPage, undefined, {
    'accept-encoding': 'gzip',
    traceparent: `00-${traceId}-${callerSpanId}-01`,
  });
  assert.equal(reply.status, 200);
  assert.equal(reply.json.data.clients.edges.length, 20);
  await server.close();

  assert.ok(receiver.exports.every((received) => received.contentType === 'application/x-protobuf'));
  const spans = receiver.spans();
  assert.ok(
    spans.every((span) => span.traceId === traceId),
    'every span continues the caller trace',
  );
  const tree = traceTree(spans, traceId);
  const request = only(
    spans.filter((span) => span.parentSpanId === callerSpanId),
    'POST /graphql',
  );
  for (const span of tree.spans) {
    if (span !== request) assert.ok(tree.parentOf(span), `${span.name} has its parent in the trace`);
  }
  const execute = only(tree.children(request), 'graphql.execute');
  // The database writes this page's edges, all of them in slices: the first task reads nothing.
  checkTask(tree, only(tree.children(execute), 'pool.wait'), 'operation', 'gzip', false);
  const send = only(tree.children(request), 'http.send');
  assert.equal(send.attributes['response.outcome'], 'complete');
  const sliceWaits = tree.children(send, 'pool.wait');
  assert.equal(sliceWaits.length, 4, '20 rows in slices of 5, each a task');
  for (const wait of sliceWaits) checkTask(tree, wait, 'slice', 'gzip');
  assert.equal(tree.spans.filter((span) => span.name.startsWith('worker.')).length, 5);
});

test('SQL spans hold the parameterised text: neither variables nor literals of the query are exported', async (t) => {
  const { receiver, server } = await startTraced(t, 20);
  const query = `query Find($prefix: String!) {
    clients(first: 5, filter: { str1: { startsWith: $prefix }, str2: { in: ["literal-secret-4711"] } }) { edges { node { id } } } }`;
  const reply = await postGraphQL(server.url, query, { prefix: 'variable-secret-0815' });
  assert.equal(reply.status, 200, reply.text);
  assert.deepEqual(reply.json.data.clients.edges, []);
  await server.close();

  const filtered = receiver
    .spans()
    .filter((span) => /instr\(str1, \?\) = 1/.test(String(span.attributes['db.query.text'])));
  assert.ok(filtered.length > 0, 'the filter reached SQL, as parameters');
  const exported = Buffer.concat(receiver.exports.map((received) => received.body)).toString('utf8');
  assert.ok(exported.length > 0);
  assert.doesNotMatch(exported, /variable-secret-0815/);
  assert.doesNotMatch(exported, /literal-secret-4711/);
});

test('OTEL_SDK_DISABLED=true: nothing is exported though an endpoint is set', async (t) => {
  const { receiver, server } = await startTraced(t, 20, { OTEL_SDK_DISABLED: 'true' });
  assert.equal((await postGraphQL(server.url, smallPage)).status, 200);
  await server.close();
  assert.equal(receiver.exports.length, 0);
});

/** Starts an export with node's client and answers its response, unread (paused), and the request to destroy. */
async function openExport(url: string) {
  const req = request(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' } });
  req.end(JSON.stringify({ query: exportQuery(40_000) }));
  const [response] = (await once(req, 'response')) as [IncomingMessage];
  response.pause();
  return { req, response };
}

test('the sending span covers a body in slices to its end: aborted by the caller, or cut short by a failing slice', async (t) => {
  const { receiver, database, server } = await startTraced(t, 40_000, { MAX_PAGE_SIZE: '40000', SLICE_SIZE: '500' });
  const abandoned = await openExport(server.url);
  await once(abandoned.response.resume(), 'data');
  abandoned.req.destroy();
  // A reader that stops reading stops production; the slices made after the table is gone fail.
  const failing = await openExport(server.url);
  assert.equal(failing.response.statusCode, 200, 'the status went out with the first slice');
  const ended = new Promise((resolve) => failing.response.once('close', resolve));
  await new Promise((resolve) => setTimeout(resolve, 500));
  const writer = new Database(database.path);
  writer.exec('DROP TABLE accounts');
  writer.close();
  failing.response.resume();
  await ended;
  assert.equal(failing.response.complete, false, 'the body was cut short');
  await server.close();

  const spans = receiver.spans();
  const sends = spans.filter((span) => span.name === 'http.send');
  const outcome = (name: string) => sends.find((span) => span.attributes['response.outcome'] === name);
  assert.equal(sends.length, 2);
  const aborted = outcome('aborted');
  assert.ok(aborted, 'the caller that went away');
  assert.equal(aborted.status.code, 0, 'a caller going away is no failure of ours');
  const cutShort = outcome('cut_short');
  assert.ok(cutShort, 'the body whose slice failed');
  assert.deepEqual([cutShort.status.code, cutShort.status.message], [2, 'INTERNAL_SERVER_ERROR']);
  const tree = traceTree(spans, cutShort.traceId);
  assert.equal(tree.parentOf(cutShort)?.status.code, 2, 'the request failed too, though its status was 200');
  assert.ok(tree.children(cutShort, 'pool.wait').length > 1, 'slices ran under it');
});
