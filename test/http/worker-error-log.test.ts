import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createBackendDatabase, describeEachBackend } from '../helpers/backends.js';
import { spawnService, waitFor } from '../helpers/process.js';
import { postGraphQL } from '../helpers/server.js';

interface LogLine {
  level: number;
  msg: string;
  operationName?: string;
  requestId?: string;
  failedFields?: number;
  err?: { message: string; stack: string };
}

const errorLevel = 50;
const secretId = Buffer.from('Client:4').toString('base64');
const query = `query AddressesOfClients($id: ID!) {
  node(id: $id) { id }
  clients(first: 3) { edges { node { secretAlias: address { str1 } } } } }`;

describeEachBackend('unexpected errors in a worker', (backend) => {
  test('are masked in the reply and logged once, at error level, with stack, operation name and request id, never variables or query', async (t) => {
    const database = await createBackendDatabase(t, backend, 5);
    // The executor, so that the one failing statement fails three fields (the planner would fail the page).
    const service = await spawnService(t, { DATABASE_URL: database.url, PLANNER: 'false' });
    await waitFor(async () => (await fetch(`${service.url}/readyz`)).ok, 20_000);
    // A statement that fails for a reason of the service's own making, not the caller's.
    await database.execute('ALTER TABLE addresses RENAME TO addresses_gone');

    const reply = await postGraphQL(service.url, query, { id: secretId }, { 'x-request-id': 'support-ticket-4711' });
    assert.equal(reply.json.errors?.length, 3, reply.text);
    for (const error of reply.json.errors) {
      assert.equal(error.message, 'Unexpected error.');
      assert.equal(error.extensions.code, 'INTERNAL_SERVER_ERROR');
    }
    assert.doesNotMatch(reply.text, /addresses|stack|at \S+ \(/);

    const logged = () =>
      service.lines.map((line) => JSON.parse(line) as LogLine).filter((line) => line.level === errorLevel);
    await waitFor(async () => logged().length > 0, 5_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const errors = logged();
    assert.equal(errors.length, 1, `one line for the one error that failed 3 fields:\n${service.lines.join('\n')}`);
    const [line] = errors;
    assert.match(line?.err?.message ?? '', /addresses/);
    assert.match(line?.err?.stack ?? '', /\n\s+at /);
    assert.equal(line?.operationName, 'AddressesOfClients');
    assert.equal(line?.requestId, 'support-ticket-4711', 'the line names the request, as the request log does');
    assert.equal(line?.failedFields, 3);
    const everything = service.lines.join('\n');
    assert.ok(!everything.includes(secretId), 'no variable value in the log');
    assert.ok(!everything.includes('secretAlias'), 'no query text in the log');
  });
});
