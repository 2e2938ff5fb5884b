import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestDatabase } from '../helpers/database.js';
import { spawnService, waitFor } from '../helpers/process.js';
import { postGraphQL } from '../helpers/server.js';

const secret = 'Personal-Data-4711';
const query = 'query FindClient($id: ID!) { node(id: $id) { id } }';

test('every request writes one JSON log line with its id, operation, status, duration, bytes and wait', async (t) => {
  const database = createTestDatabase(t, 20);
  const service = await spawnService(t, { DATABASE_URL: database.url });
  await waitFor(async () => (await fetch(`${service.url}/.well-known/ready`)).ok, 20_000);

  const given = await postGraphQL(service.url, query, { id: secret }, { 'x-request-id': 'trace-abc.123' });
  const generated = await postGraphQL(service.url, '{ clients(first: 2) { totalCount } }');
  const refused = await postGraphQL(service.url, '{ clients(first: 1) { totalCount } }', undefined, {
    'x-request-id': 'x'.repeat(200),
  });
  assert.equal(given.headers.get('x-request-id'), 'trace-abc.123');
  const generatedId = generated.headers.get('x-request-id') ?? '';
  assert.match(generatedId, /^[0-9a-f-]{36}$/);
  assert.notEqual(refused.headers.get('x-request-id'), 'x'.repeat(200), 'an overlong id is replaced');

  const requestLines = () =>
    service.lines
      .map((line) => JSON.parse(line))
      .filter((entry) => entry.msg === 'request' && entry.path === '/graphql');
  await waitFor(async () => requestLines().length === 3, 5_000);
  const [first, second] = requestLines();
  assert.equal(first.requestId, 'trace-abc.123');
  assert.equal(first.operationName, 'FindClient');
  assert.equal(first.operationType, 'query');
  assert.equal(first.status, 200);
  assert.deepEqual(first.errorCodes, ['BAD_USER_INPUT'], 'the id is not one this API made');
  assert.equal(first.bytes, Buffer.byteLength(given.text));
  assert.ok(first.durationMs > 0);
  assert.ok(first.waitMs >= 0 && first.runMs > 0, JSON.stringify(first));
  assert.equal(first.level, 30, 'info');
  assert.equal(second.requestId, generatedId);
  assert.equal(second.operationName, undefined);

  const everything = service.lines.join('\n');
  assert.ok(!everything.includes(secret), 'variables are not logged');
  assert.ok(!everything.includes('node(id:'), 'query text is not logged');
  assert.ok(!everything.includes('.well-known'), 'probes are logged at debug level only');
});
