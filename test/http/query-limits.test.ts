import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { createTestDatabase } from '../helpers/database.js';
import { exportQuery } from '../helpers/queries.js';
import { startTestServer } from '../helpers/server.js';

const database = createTestDatabase({ after }, 30);
const server = await startTestServer({ after }, { DATABASE_URL: database.url });

const repository = new URL('../../../', import.meta.url);

/** README.md and every docs/*.md. */
function documentation(): { file: string; text: string }[] {
  const docs = readdirSync(new URL('docs/', repository)).filter((name) => name.endsWith('.md'));
  const files = ['README.md', ...docs];
  return files.map((file) => ({
    file,
    text: readFileSync(new URL(file === 'README.md' ? file : `docs/${file}`, repository), 'utf8'),
  }));
}

/**
 * Every operation the documentation shows, as a caller would send it: curl's `-d '<JSON body>'`
 * and `--data-urlencode 'query=...'` (either may span lines), and ```graphql blocks.
 */
function documentedOperations(): { query: string; variables?: Record<string, unknown>; file: string }[] {
  return documentation().flatMap(({ file, text }) => [
    ...[...text.matchAll(/ -d '([^']*)'/g)].map((match) => ({ ...JSON.parse(match[1] ?? ''), file })),
    ...[...text.matchAll(/--data-urlencode 'query=([^']*)'/g)].map((match) => ({ query: match[1] ?? '', file })),
    ...[...text.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => ({ query: match[1] ?? '', file })),
  ]);
}

/**
 * How many operations the documentation shows (README.md 1, docs/api.md 5, docs/callers.md 1): a
 * new example raises it, an example the patterns above miss fails the test.
 */
const documentedCount = 7;

async function refusal(query: string, variables?: Record<string, unknown>): Promise<string> {
  const reply = await server.graphql(query, variables);
  assert.equal(reply.status, 400, reply.text);
  assert.equal(reply.json.data, undefined, 'refused before execution');
  assert.equal(reply.json.errors.length, 1, reply.text);
  assert.equal(reply.json.errors[0].extensions.code, 'GRAPHQL_VALIDATION_FAILED');
  return reply.json.errors[0].message;
}

test('every query in the README and docs/ runs within the default limits', async () => {
  const operations = documentedOperations();
  assert.equal(operations.length, documentedCount, operations.map(({ file, query }) => `${file}: ${query}`).join('\n'));
  for (const { query, variables, file } of operations) {
    const reply = await server.graphql(query, variables);
    assert.equal(reply.status, 200, `${file}: ${query}\n${reply.text}`);
    assert.equal(reply.json.errors, undefined, reply.text);
  }
});

test('cost counts page sizes: aliases and nodes cannot multiply past MAX_COST, refused naming the limit and the cost', async () => {
  const deepest =
    'clients(first: 100) { edges { node { address { id } bankAccounts(first: 100) { edges { node { address { id } } } } } } }';
  assert.match(
    await refusal(`{ a: ${deepest} b: ${deepest} }`),
    /Query cost 40400 exceeds the limit of 30300 \(MAX_COST\)/,
  );
  const fromVariables = `query ($n: Int) { a: clients(first: $n) { edges { node { address { id } bankAccounts(first: $n) { edges { node { address { id } } } } } } }
    b: clients(first: $n) { edges { node { address { id } bankAccounts(first: $n) { edges { node { address { id } } } } } } } }`;
  assert.match(await refusal(fromVariables, { n: 100 }), /Query cost 40400 exceeds/);
  const spread = `{ ...A ...B } fragment A on Query { a: ${deepest} } fragment B on Query { b: ${deepest} }`;
  assert.match(await refusal(spread), /Query cost 40400 exceeds/);
  const ids = Array.from({ length: 4000 }, () => 'Q2xpZW50OjE=');
  const nodes = (alias: string) => `${alias}: nodes(ids: $ids) { id ... on Client { address { id } } }`;
  assert.match(
    await refusal(`query ($ids: [ID!]!) { ${['a', 'b', 'c', 'd'].map(nodes).join(' ')} }`, { ids }),
    /Query cost 32000 exceeds/,
  );
});

test('the deepest query of full pages is within the default cost, and shows what it cost', async () => {
  // Issue 13: 50 clients with their first 100 accounts (5,100) was refused by the old default.
  const query =
    '{ clients(first: 100) { edges { node { address { id } bankAccounts(first: 100) { edges { node { address { id } } } } } } } }';
  const reply = await server.graphql(query);
  assert.equal(reply.status, 200, reply.text);
  const edges = reply.json.data.clients.edges;
  assert.equal(edges.length, 30);
  const accounts = edges.flatMap(
    (edge: { node: { bankAccounts: { edges: unknown[] } } }) => edge.node.bankAccounts.edges,
  );
  assert.deepEqual(reply.json.extensions.cost, {
    requested: 100 * (2 + 100 * 2),
    actual: 30 * 2 + accounts.length * 2,
    limit: 30300,
    remaining: null,
    restorePerSecond: null,
  });
});

test('depth, aliases and directives are refused naming the limit and the measured value', async () => {
  const nested = (levels: number): string => (levels === 0 ? 'id' : `... on Node { ${nested(levels - 1)} }`);
  const deep = `{ nodes(ids: []) { ... on Client { bankAccounts { edges { node { address { ${nested(8)} } } } } } } }`;
  assert.match(await refusal(deep), /depth limit of 10 exceeded, found 1[1-9]/);
  const aliases = Array.from({ length: 16 }, (_, index) => `a${index}: clients(first: 1) { totalCount }`).join(' ');
  assert.match(await refusal(`{ ${aliases} }`), /Aliases limit of 15 exceeded, found 16/);
  const directives = Array.from({ length: 51 }, (_, index) => `f${index}: __typename @skip(if: false)`).join(' ');
  assert.match(await refusal(`{ ${directives} }`), /Directives limit of 50 exceeded, found 51/);
});

test('an over-long query is refused at parse time, naming the token limit', async () => {
  const reply = await server.graphql(`{ ${'__typename '.repeat(1001)} }`);
  assert.equal(reply.status, 400);
  assert.equal(reply.json.errors[0].extensions.code, 'GRAPHQL_PARSE_FAILED');
  assert.match(reply.json.errors[0].message, /Token limit of 1000 exceeded/);
});

test('limits are configuration: MAX_PAGE_SIZE=40000 lets the every-field export through; MAX_* lower them', async (t) => {
  const exports = await startTestServer(t, { DATABASE_URL: database.url, MAX_PAGE_SIZE: '40000' });
  const reply = await exports.graphql(exportQuery(40_000));
  assert.equal(reply.status, 200, reply.text.slice(0, 300));
  assert.equal(reply.json.data.clients.edges.length, 30);

  const strict = await startTestServer(t, {
    DATABASE_URL: database.url,
    MAX_COST: '10',
    MAX_DEPTH: '4',
    MAX_ALIASES: '0',
  });
  assert.match(
    (await strict.graphql('{ clients(first: 11) { edges { node { id } } } }')).json.errors[0].message,
    /cost 11 exceeds the limit of 10/,
  );
  assert.match(
    (await strict.graphql('{ clients { edges { node { address { id } } } } }')).json.errors[0].message,
    /depth limit of 4/,
  );
  assert.match(
    (await strict.graphql('{ a: clients(first: 1) { totalCount } }')).json.errors[0].message,
    /Aliases limit of 0/,
  );
});

test('INTROSPECTION=false refuses introspection and hides suggestions; GraphiQL follows it', async (t) => {
  const open = await server.graphql('{ __schema { queryType { name } } }');
  assert.equal(open.json.data.__schema.queryType.name, 'Query');
  assert.match((await server.graphql('{ clientz { totalCount } }')).json.errors[0].message, /Did you mean "clients"\?/);

  const closed = await startTestServer(t, { DATABASE_URL: database.url, INTROSPECTION: 'false' });
  const introspection = await closed.graphql('{ __schema { queryType { name } } }');
  assert.equal(introspection.status, 400);
  assert.match(introspection.json.errors[0].message, /introspection/i);
  for (const query of [
    '{ clientz { totalCount } }',
    '{ clients(fist: 1) { totalCount } }',
    '{ clients(orderBy: ID_AS) { totalCount } }',
  ]) {
    const reply = await closed.graphql(query);
    assert.equal(reply.status, 400, reply.text);
    assert.doesNotMatch(reply.text, /Did you mean|"clients"|"first"|ID_ASC/, reply.text);
  }
  const variable = await closed.graphql('query ($order: ClientOrder) { clients(orderBy: $order) { totalCount } }', {
    order: 'ID_AS',
  });
  assert.equal(variable.json.errors[0].extensions.code, 'BAD_USER_INPUT');
  assert.doesNotMatch(variable.text, /Did you mean|ID_ASC/, variable.text);
  const page = await fetch(`${closed.url}/graphql`, { headers: { accept: 'text/html' } });
  assert.doesNotMatch(await page.text(), /GraphiQL/i);
  assert.notEqual(page.headers.get('content-type'), 'text/html');
  const shown = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
  assert.match(await shown.text(), /GraphiQL/);
});
