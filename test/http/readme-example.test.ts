import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { createTestDatabase } from '../helpers/database.js';
import { startTestServer } from '../helpers/server.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

test("the README's example query answers exactly what the README shows, on the data npm start creates", async (t) => {
  const request = JSON.parse(/ -d '(\{[\s\S]*?\})'/.exec(readme)?.[1] ?? 'null');
  const shown = /```json\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(request?.query && shown, 'the README has a curl example and a JSON answer');
  // npm start seeds SEED_CLIENTS (default) clients of the full profile, the same on every machine.
  const database = createTestDatabase(t, loadConfig({}).seedClients);
  const server = await startTestServer(t, { DATABASE_URL: database.url });
  const reply = await server.graphql(request.query, request.variables);
  assert.equal(reply.status, 200, reply.text);
  assert.equal(reply.text, JSON.stringify(JSON.parse(shown)), 'the answer, line breaks aside');
});
