import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createTestDatabase } from '../helpers/database.js';
import { growth, scrape } from '../helpers/metrics.js';
import { startTestServer } from '../helpers/server.js';

const database = createTestDatabase({ after }, 50);
const compiled = (scrape: Map<string, number>, outcome: string) =>
  scrape.get(`graphql_jit_compilations_total{outcome="${outcome}"}`) ?? 0;

const fewFields =
  'id str1 str2 address { id str1 } bankAccounts { edges { cursor node { id str1 address { str2 } } } }';
/** 14 aliased pages of one client: cheap to run, costly to compile (issue 10, item 7). */
const manyAliases = (tag: string) =>
  `query Many${tag} { ${Array.from({ length: 14 }, (_, i) => `c${i}: clients(first: 1) { edges { node { ${fewFields} } } }`).join(' ')} }`;

test("graphql-jit compiles the real schema's operations once they repeat; a first sighting runs with graphql-js", async () => {
  const server = await startTestServer({ after }, { DATABASE_URL: database.url });
  const query = '{ clients(first: 3) { edges { cursor node { id str1 address { id } } } } }';
  const start = await scrape(server.url);
  const first = await server.graphql(query);
  const afterFirst = await scrape(server.url);
  assert.equal(compiled(afterFirst, 'compiled') - compiled(start, 'compiled'), 0);
  const second = await server.graphql(query);
  const third = await server.graphql(query);
  const end = await scrape(server.url);
  assert.equal(compiled(end, 'compiled') - compiled(start, 'compiled'), 1);
  assert.equal(growth(start, end, 'graphql_jit_compile_seconds_count'), 1);
  assert.equal(second.text, first.text);
  assert.equal(third.text, first.text);
});

test('texts seen once are never compiled, and compiling is bounded: past the budget, repeats wait', async () => {
  const server = await startTestServer({ after }, { DATABASE_URL: database.url });
  const start = await scrape(server.url);
  for (let i = 0; i < 20; i++) await server.graphql(`query Once${i} { clients(first: 1) { totalCount } }`);
  const seenOnce = await scrape(server.url);
  for (const outcome of ['compiled', 'unsupported', 'deferred']) {
    assert.equal(compiled(seenOnce, outcome), compiled(start, outcome), outcome);
  }
  // New texts until the budget runs out, not a fixed number: how fast they compile depends on the
  // runtime and the load (on Node 24, faster at it, a fixed 30 texts sometimes fitted in the budget).
  const deferred = async () => compiled(await scrape(server.url), 'deferred') - compiled(seenOnce, 'deferred');
  for (let i = 0; i < 300 && (await deferred()) === 0; i++) {
    for (let run = 0; run < 2; run++) assert.equal((await server.graphql(manyAliases(String(i)))).status, 200);
  }
  const end = await scrape(server.url);
  const spent = growth(seenOnce, end, 'graphql_jit_compile_seconds_sum');
  assert.ok(compiled(end, 'deferred') > 0, `compiled ${compiled(end, 'compiled')} in ${spent} s, none deferred`);
});
