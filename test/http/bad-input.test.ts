import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createTestDatabase } from '../helpers/database.js';
import { spawnService, waitFor } from '../helpers/process.js';

// A real server process: a crash would show as an exit, not as a failed test process.
const service = await spawnService({ after }, { DATABASE_URL: createTestDatabase({ after }, 40).url });
await waitFor(async () => (await fetch(`${service.url}/readyz`)).ok, 20_000);

const globalId = (text: string) => Buffer.from(text).toString('base64');
const pageQuery = `query ($first: Int, $last: Int, $after: String, $before: String, $order: ClientOrder) {
  clients(first: $first, last: $last, after: $after, before: $before, orderBy: $order) {
    edges { cursor node { databaseId } } } }`;

async function firstCursor(order: string): Promise<string> {
  const reply = await post({ query: pageQuery, variables: { first: 3, order } });
  return JSON.parse(reply.text).data.clients.edges[1].cursor;
}

interface Reply {
  status: number;
  headers: Headers;
  text: string;
}

async function send(init: RequestInit & { path?: string }): Promise<Reply> {
  const response = await fetch(`${service.url}${init.path ?? '/graphql'}`, init);
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const post = (body: unknown, headers: Record<string, string> = {}) =>
  send({
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const cursorAsc = await firstCursor('ID_ASC');

// Cursors are not signed: one edited to another key is just another position. Edited anywhere
// else (version, scope, JSON), it must be refused.
const tamper = (cursor: string) =>
  Buffer.from(Buffer.from(cursor, 'base64url').toString().replace('clients', 'clientz')).toString('base64url');
const nested = (levels: number): string => (levels === 0 ? 'id' : `... on Node { ${nested(levels - 1)} }`);
const variablesOf = (variables: Record<string, unknown>) => ({ query: pageQuery, variables });
const nodeQuery = (id: string) => ({ query: 'query ($id: ID!) { node(id: $id) { id } }', variables: { id } });

/**
 * Each case: what is sent, the status expected, the reply's message and code (the whole body
 * where there is no JSON), and any header the answer must carry.
 */
const cases: {
  name: string;
  send: () => Promise<Reply>;
  status: number;
  expect: RegExp;
  header?: [string, string];
}[] = [
  {
    name: 'malformed JSON',
    send: () => post('{"query": "{ clients'),
    status: 400,
    expect: /"message":"POST body sent invalid JSON\.".*"BAD_REQUEST"/,
  },
  {
    name: 'a JSON body that is not an object',
    send: () => post('[1, 2]'),
    status: 400,
    expect: /"message":"Batching is not supported\.".*"BAD_REQUEST"/,
  },
  {
    name: 'a query that is not a string',
    send: () => post({ query: 42 }),
    status: 400,
    expect: /"message":"Expected \\"query\\" param to be a string, but given number\.".*"BAD_REQUEST"/,
  },
  {
    name: 'no query at all',
    send: () => post({ variables: {} }),
    status: 400,
    expect: /"message":"Must provide query string\.".*"BAD_REQUEST"/,
  },
  {
    name: 'variables that are not an object',
    send: () => post({ query: '{ __typename }', variables: 'x' }),
    status: 400,
    expect: /"message":"Expected \\"variables\\" param to be empty or an object, but given string\.".*"BAD_REQUEST"/,
  },
  {
    name: 'no content type (fetch sends a string as text/plain)',
    send: () => send({ method: 'POST', body: JSON.stringify({ query: '{ __typename }' }) }),
    status: 415,
    expect:
      /"message":"POST bodies must be JSON: send \\"Content-Type: application\/json\\" \(got \\"text\/plain;charset=UTF-8\\"\)\.".*"BAD_REQUEST"/,
  },
  {
    name: 'a content type that is not JSON',
    send: () => post({ query: '{ __typename }' }, { 'content-type': 'application/xml' }),
    status: 415,
    expect:
      /"message":"POST bodies must be JSON: send \\"Content-Type: application\/json\\" \(got \\"application\/xml\\"\)\.".*"BAD_REQUEST"/,
  },
  {
    name: 'a body over MAX_BODY_BYTES',
    send: () => post({ query: '{ __typename }', variables: { pad: 'x'.repeat(200_000) } }),
    status: 413,
    expect: /"REQUEST_ENTITY_TOO_LARGE"/,
  },
  {
    name: 'a mutation',
    send: () => post({ query: 'mutation { x }' }),
    status: 400,
    expect: /"message":"This API only answers queries: it has no mutations\.".*"GRAPHQL_VALIDATION_FAILED"/,
  },
  {
    name: 'a subscription',
    send: () => post({ query: 'subscription { clients { totalCount } }' }),
    status: 400,
    expect: /"message":"This API only answers queries: it has no subscriptions\.".*"GRAPHQL_VALIDATION_FAILED"/,
  },
  {
    name: 'a mutation over GET',
    send: () => send({ path: `/graphql?query=${encodeURIComponent('mutation { x }')}` }),
    status: 405,
    expect: /"message":"Can only perform a mutation operation from a POST request\.".*"BAD_REQUEST"/,
    header: ['allow', 'POST'],
  },
  {
    name: 'an unknown field',
    send: () => post({ query: '{ accounts { id } }' }),
    status: 400,
    expect: /GRAPHQL_VALIDATION_FAILED/,
  },
  { name: 'a syntax error', send: () => post({ query: '{ clients(' }), status: 400, expect: /GRAPHQL_PARSE_FAILED/ },
  {
    name: 'an operationName that matches nothing',
    send: () => post({ query: 'query A { __typename }', operationName: 'B' }),
    status: 400,
    expect: /OPERATION_RESOLUTION_FAILURE/,
  },
  {
    name: 'two operations and no operationName',
    send: () => post({ query: 'query A { __typename } query B { __typename }' }),
    status: 400,
    expect: /OPERATION_RESOLUTION_FAILURE/,
  },
  {
    name: 'a variable of the wrong type',
    send: () => post(variablesOf({ first: 'ten' })),
    status: 400,
    expect: /"Variable \\"\$first\\" got invalid value \\"ten\\"; Int cannot represent.*"BAD_USER_INPUT"/,
  },
  {
    name: 'an enum variable that does not exist',
    send: () => post(variablesOf({ order: 'NAME' })),
    status: 400,
    expect: /ClientOrder.*"BAD_USER_INPUT"/,
  },
  {
    name: 'a required variable left out',
    send: () => post({ query: 'query ($id: ID!) { node(id: $id) { id } }' }),
    status: 400,
    expect: /\$id.*was not provided.*"BAD_USER_INPUT"/,
  },
  {
    name: 'a garbage global ID',
    send: () => post(nodeQuery('%%%not base64')),
    status: 200,
    expect: /"BAD_USER_INPUT"/,
  },
  {
    name: 'a global ID of an unknown type',
    send: () => post(nodeQuery(globalId('User:1'))),
    status: 200,
    expect: /"BAD_USER_INPUT"/,
  },
  {
    name: 'a global ID with a non-numeric id',
    send: () => post(nodeQuery(globalId('Client:abc'))),
    status: 200,
    expect: /"BAD_USER_INPUT"/,
  },
  {
    name: 'a cursor of random bytes',
    send: () => post(variablesOf({ after: Buffer.from([0xff, 0x00, 0x13, 0x37, 0x80]).toString('base64url') })),
    status: 200,
    expect: /"BAD_USER_INPUT"/,
  },
  {
    name: 'a truncated cursor',
    send: () => post(variablesOf({ after: cursorAsc.slice(0, -3) })),
    status: 200,
    expect: /"BAD_USER_INPUT"/,
  },
  {
    name: 'a tampered cursor',
    send: () => post(variablesOf({ after: tamper(cursorAsc) })),
    status: 200,
    expect: /"BAD_USER_INPUT"/,
  },
  {
    name: 'a cursor from another ordering',
    send: () => post(variablesOf({ after: cursorAsc, order: 'ID_DESC' })),
    status: 200,
    expect: /cursor for clients by ID_ASC, not for clients by ID_DESC/,
  },
  { name: 'first: -1', send: () => post(variablesOf({ first: -1 })), status: 200, expect: /cannot be negative/ },
  {
    name: 'first: 1e9 (a float)',
    send: () => post({ query: '{ clients(first: 1e9) { totalCount } }' }),
    status: 400,
    expect: /Int cannot represent non-integer/,
  },
  {
    name: 'first: 1000000000',
    send: () => post(variablesOf({ first: 1_000_000_000 })),
    status: 200,
    expect: /exceeds the `first` limit of 100/,
  },
  {
    name: 'first: 2^31 (beyond Int)',
    send: () => post(variablesOf({ first: 2 ** 31 })),
    status: 400,
    expect: /Int cannot represent/,
  },
  {
    name: 'first and last together',
    send: () => post(variablesOf({ first: 1, last: 1 })),
    status: 200,
    expect: /either `first` or `last`/,
  },
  {
    name: 'deeply nested fragments',
    send: () => post({ query: `{ nodes(ids: []) { ${nested(40)} } }` }),
    status: 400,
    expect: /depth limit of 10 exceeded/,
  },
  {
    name: 'a fragment that spreads itself',
    send: () => post({ query: '{ clients { ...A } } fragment A on ClientConnection { ...A }' }),
    status: 400,
    expect: /Cannot spread fragment \\"A\\" within itself/,
  },
  {
    name: 'a thousand aliases (3,000 tokens: the token limit refuses them while parsing)',
    send: () => post({ query: `{ ${Array.from({ length: 1000 }, (_, index) => `a${index}: __typename`).join(' ')} }` }),
    status: 400,
    expect: /"message":"Syntax Error: Token limit of 1000 exceeded\.".*"GRAPHQL_PARSE_FAILED"/,
  },
  {
    name: 'eighty aliases of a field (within the token limit: the aliases limit refuses them)',
    send: () =>
      post({ query: `{ ${Array.from({ length: 80 }, (_, index) => `a${index}: node(id: "") { id }`).join(' ')} }` }),
    status: 400,
    expect: /"message":"Aliases limit of 15 exceeded, found 80\.".*"GRAPHQL_VALIDATION_FAILED"/,
  },
];

// A reply must not show how the service is built: no stack frames, SQL, file paths or parser internals.
const internals = /\bat \S+ \(|"stack"|sqlite|node_modules|\/work\/|\.ts:\d|\.js:\d|originalError|Unexpected token/i;
const sql = /\b(SELECT|FROM|WHERE|JOIN)\b/;

for (const { name, send: sendCase, status, expect, header } of cases) {
  test(`bad input: ${name} -> ${status}, a clear error, no internals`, async () => {
    const reply = await sendCase();
    assert.equal(reply.status, status, reply.text.slice(0, 400));
    assert.match(reply.text, expect);
    if (header) assert.equal(reply.headers.get(header[0]), header[1]);
    assert.doesNotMatch(reply.text, internals);
    assert.doesNotMatch(reply.text, sql);
    if (reply.text.startsWith('{')) {
      const { errors } = JSON.parse(reply.text);
      assert.ok(
        errors.length > 0 && errors.every((error: { message: string }) => error.message.length > 0),
        reply.text,
      );
    }
  });
}

test('after the whole battery the process is alive, ready and serving', async () => {
  assert.equal(service.child.exitCode, null);
  assert.equal((await send({ path: '/readyz' })).status, 200);
  const reply = await post(variablesOf({ first: 2 }));
  assert.equal(reply.status, 200);
  assert.equal(JSON.parse(reply.text).data.clients.edges.length, 2);
});
