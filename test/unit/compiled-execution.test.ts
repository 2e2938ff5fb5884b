import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSchema, GraphQLError, type GraphQLSchema } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { createCompileBudget, createCompiledExecutor } from '../../src/executor/execute-compiled.js';
import { runOperation } from '../../src/executor/run-operation.js';
import type { Context } from '../../src/schema/context.js';

// A schema with every kind of null, error and shape graphql-js and graphql-jit could disagree on.
const schema: GraphQLSchema = buildSchema(`
  enum Color { RED GREEN }
  input Range { from: Int! to: Int = 3 }
  interface Named { name: String }
  type Item implements Named { id: Int! name: String color: Color tags: [String!] }
  type Query {
    items(range: Range, color: Color = RED): [Item!]!
    maybeItems: [Item]
    named: [Named!]!
    nullInNonNull: Item!
    itemWithNullId: Item
    userError: Int
    internalError: String
    rejected: String
    greeting(name: String!): String!
  }
`);
const delay = <T>(value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), 1));
const item = (id: number) => ({ id, name: id % 2 ? `item ${id}` : null, color: id % 3 ? 'RED' : 'GREEN', tags: ['a'] });
const fields = schema.getQueryType()?.getFields() ?? {};
// biome-ignore lint/suspicious/noExplicitAny: resolvers of a schema built from SDL get untyped arguments
const resolvers: Record<string, (root: unknown, args: any) => unknown> = {
  items: (_root, { range }: { range?: { from: number; to: number } }) =>
    Array.from({ length: (range?.to ?? 3) - (range?.from ?? 0) }, (_, index) => item((range?.from ?? 0) + index)),
  maybeItems: () => [item(1), null, delay(item(3)), delay(new Error('row 4 is broken'))],
  named: () => [item(5), item(6)],
  nullInNonNull: () => null,
  itemWithNullId: () => ({ id: null, name: 'x' }),
  userError: () => {
    throw new GraphQLError('Bad input here.', { extensions: { code: 'BAD_USER_INPUT' } });
  },
  internalError: () => {
    throw new Error('SELECT secret FROM internals');
  },
  rejected: () => Promise.reject(new Error('connection reset')),
  greeting: (_root, { name }: { name: string }) => `hello ${name}`,
};
for (const [name, resolve] of Object.entries(resolvers)) {
  const field = fields[name];
  if (field) field.resolve = resolve;
}
const namedType = schema.getType('Named') as { resolveType?: unknown };
namedType.resolveType = () => 'Item';

const yoga = createYoga({ schema, logging: false, maskedErrors: true });
const operations: [string, string, Record<string, unknown>?, string?][] = [
  ['data, aliases and __typename', '{ first: items { id name } second: items(color: GREEN) { __typename id color } }'],
  ['input objects with defaults', 'query ($r: Range) { items(range: $r) { id tags } }', { r: { from: 2 } }],
  [
    'fragments, @include and @skip',
    `query ($more: Boolean!) { named { ...on Item { id } ...Names } items { id @skip(if: $more) name @include(if: $more) } }
     fragment Names on Named { name }`,
    { more: true },
  ],
  ['nulls and a rejected item in a nullable list', '{ maybeItems { id name } }'],
  ['null in a non-null field', '{ nullInNonNull { id } greeting(name: "x") }'],
  ['null in a non-null field of a nullable parent', '{ itemWithNullId { id name } greeting(name: "y") }'],
  ['a GraphQLError with extensions beside data', '{ userError greeting(name: "z") }'],
  ['a masked internal error', '{ internalError userError }'],
  ['a masked rejection', '{ rejected greeting(name: "w") }'],
  ['a missing required variable', 'query ($n: String!) { greeting(name: $n) }'],
  ['a variable of the wrong type', 'query ($r: Range) { items(range: $r) { id } }', { r: { from: 'one' } }],
  ['the named one of two operations', 'query A { greeting(name: "a") } query B { greeting(name: "b") }', {}, 'B'],
];

for (const [name, query, variables, operationName] of operations) {
  test(`${name}: graphql-jit in the worker answers yoga's bytes`, async () => {
    const compiled: string[] = [];
    const execute = createCompiledExecutor({ onCompile: (report) => compiled.push(report.outcome) });
    const task = { kind: 'operation' as const, query, variables, operationName };
    const response = await yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query, variables, operationName }),
    });
    const expected = await response.text();
    // The first run is graphql-js's (a first sighting), the next ones graphql-jit's.
    for (let run = 0; run < 3; run++) {
      const { text: body, summary } = await runOperation(schema, task, {} as Context, execute);
      assert.equal(body, expected);
      assert.equal(summary.hasData, 'data' in JSON.parse(expected));
    }
    // Operations that fail before execution go to graphql-js; everything else is compiled once, when seen again.
    const failsEarly = !expected.includes('"data"');
    assert.deepEqual(compiled, failsEarly ? [] : ['compiled']);
  });
}

test('a text seen again is compiled only while the compile budget lasts; then graphql-js runs it', async () => {
  let clock = 0;
  const budget = createCompileBudget(0.000_1, 1000, () => clock);
  const compiled: string[] = [];
  const execute = createCompiledExecutor({ budget, onCompile: (report) => compiled.push(report.outcome) });
  const run = (query: string) => runOperation(schema, { kind: 'operation', query }, {} as Context, execute);
  for (const name of ['a', 'b']) {
    const query = `{ greeting(name: "${name}") }`;
    await run(query);
    await run(query);
    await run(query);
  }
  // The first compile spent more than the tiny burst, so the second text waits for the budget to refill.
  assert.deepEqual(compiled.slice(0, 2), ['compiled', 'deferred']);
  clock += 60_000;
  await run('{ greeting(name: "b") }');
  assert.equal(compiled.at(-1), 'compiled');
});
