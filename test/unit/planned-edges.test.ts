import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import fc from 'fast-check';
import { type GraphQLFieldResolver, type GraphQLResolveInfo, parse, validate } from 'graphql';
import type { ClientKey, ClientPageQuery, ClientRow, DataSource } from '../../src/data/data-source.js';
import { clientOrders } from '../../src/data/data-source.js';
import { openDataSource } from '../../src/data/open-data-source.js';
import { createCompiledExecutor } from '../../src/executor/execute-compiled.js';
import { createEdgesPlanner, type EdgesPlan, readClientEdges } from '../../src/planner/index.js';
import { toClientFilter } from '../../src/schema/client-filter.js';
import { accountCursors, clientCursors } from '../../src/schema/clients.js';
import type { Context } from '../../src/schema/context.js';
import { encodeCursor } from '../../src/schema/cursors.js';
import { schema } from '../../src/schema/index.js';
import { cutIntoSlices } from '../../src/schema/page-slices.js';
import { type ConnectionArgs, toKeysetPage } from '../../src/schema/pagination.js';
import { applyOrderingData } from '../fixtures/ordering-data.js';
import {
  createBackendDatabase,
  createSuiteCleanup,
  describeEachBackend,
  type TestDatabase,
} from '../helpers/backends.js';
import { edgeOperations } from '../helpers/edge-operations.js';

const pageSizes = { defaultSize: 7, maxSize: 100 };
const clientCount = 60;

// The executor's own `clients` resolver, wrapped to hand its `info` to the planner as the worker will.
const clientsField = schema.getQueryType()?.getFields().clients;
const resolveClients = clientsField?.resolve as GraphQLFieldResolver<unknown, Context>;
let resolved: { info: GraphQLResolveInfo; args: Record<string, unknown> }[] = [];
if (clientsField) {
  clientsField.resolve = (root, args, context, info) => {
    resolved.push({ info, args });
    return resolveClients(root, args, context, info);
  };
}

/** Strings JSON.stringify escapes, or must leave alone, in every column kind. */
const awkward = [
  'quote " and backslash \\ and slash /',
  'controls \u0001\u0007\b\t\n\u000b\f\r\u001b\u001f end',
  'emoji 😀, U+2028 \u2028 and U+2029 \u2029',
  'non-ASCII é ～ and DEL \u007f',
  '',
];

/** Nulls, missing addresses, clients without accounts or with many, and the awkward strings. */
async function applyEdgeData(database: TestDatabase): Promise<void> {
  await applyOrderingData(database);
  for (const [index, text] of awkward.entries()) {
    const id = index + 1;
    await database.execute('UPDATE clients SET str3 = ?, str8 = ? WHERE id = ?', [text, awkward.at(-index - 1), id]);
    await database.execute('UPDATE addresses SET str1 = ? WHERE id IN (SELECT address_id FROM clients WHERE id = ?)', [
      text,
      id,
    ]);
    await database.execute('UPDATE accounts SET str16 = ?, str9 = ? WHERE client_id = ?', [text, text, id]);
  }
  await database.execute('UPDATE clients SET address_id = NULL WHERE id % 9 = 0');
  await database.execute('UPDATE accounts SET address_id = NULL WHERE id % 4 = 0');
  await database.execute('UPDATE accounts SET str2 = NULL, str12 = NULL WHERE id % 3 = 0');
  await database.execute('DELETE FROM accounts WHERE client_id IN (10, 20)');
  for (let n = 1; n <= 6; n++) {
    await database.execute('INSERT INTO accounts (id, client_id, str1) VALUES (?, 2, ?)', [
      100_000 + n,
      awkward[n % 5],
    ]);
  }
}

const filters = [
  undefined,
  { str1: { isNull: true } },
  { str2: { startsWith: 'a' } },
  { str3: { isNull: false }, databaseId: { in: [1, 2, 3, 5, 8, 13, 21, 34, 55] } },
];

/** Variables for the root `clients` field and the operation's own, with real cursors. */
const variablesFor = (accountIds: number[]) =>
  fc
    .record({
      order: fc.constantFrom(...clientOrders),
      filter: fc.constantFrom(...filters),
      backward: fc.boolean(),
      size: fc.option(fc.integer({ min: 0, max: 15 }), { nil: undefined }),
      afterId: fc.option(fc.integer({ min: 1, max: clientCount }), { nil: undefined, freq: 2 }),
      beforeId: fc.option(fc.integer({ min: 1, max: clientCount }), { nil: undefined, freq: 4 }),
      n: fc.integer({ min: 0, max: 4 }),
      accountAfter: fc.constantFrom(...accountIds),
      accountBefore: fc.constantFrom(...accountIds),
    })
    .map((picked) => picked);

describeEachBackend('planned edges are the bytes of the executor', (backend) => {
  const cleanup = createSuiteCleanup();
  let dataSource: DataSource;
  let accountIds: number[];
  let clientRows: Map<number, ClientRow>;
  const execute = createCompiledExecutor();
  const planner = createEdgesPlanner(pageSizes);

  before(async () => {
    const database = await createBackendDatabase(cleanup, backend, clientCount);
    await applyEdgeData(database);
    dataSource = openDataSource(database.url, { poolSize: 2, statementTimeoutMs: 10_000 });
    cleanup.after(() => dataSource.close());
    const rows = await dataSource.clientsByIds(Array.from({ length: clientCount }, (_, index) => index + 1));
    clientRows = new Map(rows.flatMap((row) => (row ? [[row.id, row]] : [])));
    const pages = await dataSource.accountPages([1, 2, 3, 10], { limit: 10, fromEnd: false });
    accountIds = pages.flatMap((page) => page.rows.map((row) => row.id));
  });

  /** The plan of an operation's `clients` field, through the executor's own `info`. */
  function planOf(query: string): EdgesPlan {
    resolved = [];
    const document = parse(query);
    // Only the first resolver call is wanted: no data source is needed to get there.
    void execute({ schema, document, query, contextValue: { dataSource, pageSizes } });
    const plan = resolved[0] && planner(resolved[0].info);
    assert.ok(plan, query);
    return plan;
  }

  /** The page the resolver read, as the data layer takes it. */
  function pageOf(args: Record<string, unknown>): ClientPageQuery {
    const order = (args.orderBy ?? 'ID_ASC') as ClientPageQuery['order'];
    const filter = toClientFilter(args.filter as Parameters<typeof toClientFilter>[0]);
    const request = toKeysetPage(args as ConnectionArgs, pageSizes, 'clients', clientCursors(order, filter));
    return { ...request, order, filter };
  }

  async function edgesText(plan: EdgesPlan, query: ClientPageQuery): Promise<{ text: string; keys: unknown[] }> {
    const edges: string[] = [];
    const keys: unknown[] = [];
    for await (const batch of readClientEdges(dataSource, plan, query)) {
      for (const edge of batch) {
        edges.push(edge.json);
        keys.push(edge.key);
      }
    }
    return { text: `[${edges.join(',')}]`, keys };
  }

  /**
   * Runs the operation through the executor and, where the planner plans it, compares the
   * planner's edges with the executor's. Answers whether it was planned.
   */
  async function compare(query: string, variables: Record<string, unknown>): Promise<boolean> {
    const document = parse(query);
    assert.deepEqual(validate(schema, document), [], query);
    resolved = [];
    const result = await execute({
      schema,
      document,
      query,
      contextValue: { dataSource, pageSizes },
      variableValues: variables,
    });
    const [call] = resolved;
    assert.ok(call, 'the clients resolver ran');
    const plan = planner(call.info);
    if (!plan) return false;
    assert.equal(result.errors, undefined, `planned, but the executor failed: ${JSON.stringify(result.errors)}`);
    const connection = (result.data as Record<string, Record<string, unknown>>).clients;
    const expected = JSON.stringify(connection?.[plan.edgesKey]);
    const { text } = await edgesText(plan, pageOf(call.args));
    assert.equal(text, expected, `${query}\n${JSON.stringify(variables)}`);
    return true;
  }

  test('the every-field export and a small page with pageInfo everywhere', async () => {
    const every = `id databaseId str1 str2 str3 str4 str5 str6 str7 str8
      address { id databaseId str1 str2 str3 str4 str5 str6 str7 str8 }
      bankAccounts { edges { cursor node { id databaseId str1 str2 str3 str4 str5 str6 str7 str8 str9 str10
        str12 str13 str14 str15 str16 address { id databaseId str1 str2 str3 str4 str5 str6 str7 str8 } } } }`;
    const paged = `__typename bankAccounts(first: 2) { __typename pageInfo { hasNextPage hasPreviousPage startCursor endCursor __typename } edges { __typename cursor node { __typename databaseId } } }`;
    for (const order of clientOrders) {
      assert.ok(
        await compare(
          `query ($o: ClientOrder) { clients(first: 60, orderBy: $o) { edges { cursor node { ${every} } } } }`,
          { o: order },
        ),
      );
      assert.ok(
        await compare(
          `query ($o: ClientOrder) { clients(last: 9, orderBy: $o) { totalCount edges { __typename node { ${paged} } cursor } } }`,
          { o: order },
        ),
      );
    }
  });

  test('slices of a page, cut at keys (after exclusive, from and through inclusive), join to the page', async () => {
    const plan = planOf('{ clients { edges { cursor node { databaseId str1 str2 } } } }');
    for (const order of clientOrders) {
      for (const filter of filters) {
        const page: ClientPageQuery = { order, filter: toClientFilter(filter), limit: clientCount, fromEnd: false };
        const whole = await edgesText(plan, page);
        const cuts = [whole.keys[0], whole.keys[Math.floor(whole.keys.length / 3)], whole.keys.at(-2)];
        const slices = [];
        let after: ClientKey | undefined;
        for (const through of [...cuts, undefined]) {
          const slice = await edgesText(plan, { ...page, after, through: through as ClientKey | undefined });
          if (through) assert.deepEqual(slice.keys.at(-1), through, 'a slice ends with its through key');
          slices.push(slice.text.slice(1, -1));
          after = through as ClientKey | undefined;
        }
        assert.equal(`[${slices.filter(Boolean).join(',')}]`, whole.text, `${order} ${JSON.stringify(filter)}`);
        // The ranges the executor cuts a large page into (from and through, both inclusive).
        const { ranges } = await cutIntoSlices(dataSource, page, 7);
        const ranged = [];
        for (const range of ranges) ranged.push((await edgesText(plan, { ...page, ...range })).text.slice(1, -1));
        assert.equal(`[${ranged.filter(Boolean).join(',')}]`, whole.text, `${order} ${JSON.stringify(filter)}`);
        // The same slices read from their far end: the last rows up to the through key.
        const last = await edgesText(plan, { ...page, through: cuts[1] as ClientKey, limit: 2, fromEnd: true });
        const index = whole.keys.indexOf(cuts[1]);
        assert.deepEqual(last.keys, whole.keys.slice(Math.max(0, index - 1), index + 1));
      }
    }
  });

  test('selections it must leave to the executor', async () => {
    const unplanned = [
      ['edges under two keys', '{ clients { edges { cursor } again: edges { cursor } } }'],
      ['no edges', '{ clients { totalCount } }'],
      ['a key longer than PostgreSQL keeps', `{ clients { edges { node { ${'k'.repeat(64)}: str1 } } } }`],
      [
        'a nested page over the limit',
        '{ clients { edges { node { bankAccounts(first: 101) { edges { cursor } } } } } }',
      ],
      ['a bad nested cursor', '{ clients { edges { node { bankAccounts(after: "x") { edges { cursor } } } } } }'],
      ['first and last', '{ clients { edges { node { bankAccounts(first: 1, last: 1) { edges { cursor } } } } } }'],
      ['a key skipped once and kept once', '{ clients { edges { node { str1 @skip(if: true) databaseId str1 } } } }'],
      [
        // graphql-jit leaves str1 out of x_node too: the skip is recorded on the fragment's shared nodes.
        'a fragment spread in two places, one of them skipped',
        '{ clients { edges { node { ...A @skip(if: true) databaseId } x_node: node { ...A } } } } fragment A on Client { str1 }',
      ],
      [
        'a fragment spread twice with a condition in the operation',
        '{ clients { edges { node { ...A @skip(if: true) databaseId ...A } } } } fragment A on Client { str1 }',
      ],
    ];
    for (const [name, query] of unplanned) assert.equal(await compare(query as string, {}), false, name);
  });

  test('generated operations, pages and variables', async (t) => {
    let planned = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(edgeOperations, variablesFor(accountIds), async (operation, picked) => {
        const cursorOf = (id: number | undefined) => {
          const row = id === undefined ? undefined : clientRows.get(id);
          const filter = toClientFilter(picked.filter);
          const cursors = clientCursors(picked.order, filter);
          return row && encodeCursor(cursors, cursors.keyOf(row));
        };
        const variables: Record<string, unknown> = {
          orderBy: picked.order,
          filter: picked.filter,
          [picked.backward ? 'last' : 'first']: picked.size,
          after: cursorOf(picked.afterId),
          before: cursorOf(picked.beforeId),
          yes: true,
          no: false,
          n: picked.n,
          accountAfter: encodeCursor(accountCursors, picked.accountAfter),
          accountBefore: encodeCursor(accountCursors, picked.accountBefore),
        };
        for (const name of ['yes', 'no', 'n', 'accountAfter', 'accountBefore']) {
          if (!operation.uses.has(name)) delete variables[name];
        }
        runs++;
        if (await compare(operation.query, variables)) planned++;
      }),
      { numRuns: Number(process.env.PLANNER_RUNS ?? 250) },
    );
    // Most generated operations must take the fast path, or the comparison proves little.
    t.diagnostic(`${planned} of ${runs} generated operations planned`);
    assert.ok(planned > runs * 0.4, `${planned} of ${runs} planned`);
  });
});
