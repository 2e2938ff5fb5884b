import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createTestDatabase } from '../helpers/database.js';
import { startTestServer } from '../helpers/server.js';

const server = await startTestServer({ after }, { DATABASE_URL: createTestDatabase({ after }, 5).url });
const query = '{ clients(first: 1) { totalCount } }';

// biome-ignore lint/suspicious/noExplicitAny: tests read response JSON by path
type Reply = { status: number; json: any };

async function post(body: BodyInit, contentType?: string): Promise<Reply> {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: contentType ? { 'content-type': contentType } : {},
    body,
  });
  return { status: response.status, json: JSON.parse((await response.text()) || 'null') };
}

test('POST bodies that browsers send across sites without a preflight are refused with 415', async () => {
  const form = new FormData();
  form.set('query', query);
  const refused: [string, Promise<Reply>][] = [
    [
      'application/x-www-form-urlencoded',
      post(new URLSearchParams({ query }).toString(), 'application/x-www-form-urlencoded'),
    ],
    ['multipart/form-data', post(form)],
    ['text/plain', post(JSON.stringify({ query }), 'text/plain;charset=UTF-8')],
    ['application/graphql', post(query, 'application/graphql')],
    ['none', post(JSON.stringify({ query }))],
  ];
  for (const [name, sent] of refused) {
    const reply = await sent;
    assert.equal(reply.status, 415, name);
    assert.equal(reply.json.errors.length, 1, name);
    assert.equal(reply.json.errors[0].extensions.code, 'BAD_REQUEST', name);
    assert.match(reply.json.errors[0].message, /POST bodies must be JSON: send "Content-Type: application\/json"/);
    assert.equal(reply.json.data, undefined, `${name}: nothing ran`);
    assert.equal(reply.json.extensions.cost.actual, 0);
  }
});

test('JSON bodies (any charset parameter) and GET queries are served', async () => {
  for (const type of ['application/json', 'application/json; charset=utf-8']) {
    const reply = await post(JSON.stringify({ query }), type);
    assert.equal(reply.status, 200, type);
    assert.equal(reply.json.data.clients.totalCount, 5);
  }
  const get = await fetch(`${server.url}/graphql?query=${encodeURIComponent(query)}`);
  assert.equal(get.status, 200);
});
