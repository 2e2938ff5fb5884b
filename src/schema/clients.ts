import { clientOrderings } from '../data/client-queries.js';
import type { AccountRow, ClientFilter, ClientKey, ClientOrder, ClientRow } from '../data/data-source.js';
import { isDatabaseId, isStorableString } from '../data/storable-values.js';
import { clientStrings } from '../data/tables.js';
import { AccountConnection } from './accounts.js';
import { Address } from './addresses.js';
import { builder } from './builder.js';
import { ClientFilterInput, filterDigest, toClientFilter } from './client-filter.js';
import { clientPage, emptyConnection } from './client-pages.js';
import type { CursorKind } from './cursors.js';
import { farCursor, toConnection, toKeysetPage } from './pagination.js';
import { isOutsideSlice, isSlice } from './slicing.js';
import { exposeStrings } from './string-fields.js';

const nullsNote = 'Clients whose value is null come first, by id.';
const ClientOrderEnum = builder.enumType('ClientOrder', {
  description:
    'Orderings of `clients`. Each is a keyset on the sort key with the id as tie-breaker. Strings compare by bytes (case-sensitive, "B" before "a"); null sorts before every string, so it comes first in ascending orderings and last in descending ones.',
  values: {
    ID_ASC: { description: 'By id, ascending (the default).' },
    ID_DESC: { description: 'By id, descending.' },
    STR1_ASC: { description: `By str1, then id, ascending. ${nullsNote}` },
    STR1_DESC: { description: 'By str1, then id, descending. Clients whose value is null come last.' },
    STR2_ASC: { description: `By str2, then id, ascending. ${nullsNote}` },
    STR2_DESC: { description: 'By str2, then id, descending. Clients whose value is null come last.' },
  } as const,
});

/** Cursors of `bankAccounts`: `[id]`, valid on any client's accounts. */
export const accountCursors: CursorKind<AccountRow, number> = {
  scope: { list: 'bankAccounts', filter: '' },
  keyOf: (row) => row.id,
  toValues: (id) => [id],
  fromValues: (values) => (values.length === 1 && isDatabaseId(values[0]) ? values[0] : undefined),
};

/** Cursors of `clients` in one ordering under one filter: `[id]`, or `[value, id]` for string orderings. */
export function clientCursors(order: ClientOrder, filter: ClientFilter): CursorKind<ClientRow, ClientKey> {
  const scope = { list: `clients by ${order}`, filter: filterDigest(filter) };
  const column = clientOrderings[order].column;
  if (column === 'id') {
    return {
      scope,
      keyOf: (row) => ({ id: row.id }),
      toValues: (key) => [key.id],
      fromValues: (values) => (values.length === 1 && isDatabaseId(values[0]) ? { id: values[0] } : undefined),
    };
  }
  return {
    scope,
    keyOf: (row) => ({ value: row[column], id: row.id }),
    toValues: (key) => [key.value ?? null, key.id],
    fromValues: ([value, id, ...rest]) =>
      rest.length === 0 &&
      (value === null || (typeof value === 'string' && isStorableString(value))) &&
      isDatabaseId(id)
        ? { value, id }
        : undefined,
  };
}

export const Client = builder.loadableNode('Client', {
  description: 'A client, with its postal address and its bank accounts.',
  id: { resolve: (client: ClientRow) => client.id, parse: Number },
  load: (ids: number[], context) => context.dataSource.clientsByIds(ids),
  fields: (t) => ({
    databaseId: t.exposeInt('id', { nullable: false, description: 'The integer id in the database.' }),
    address: t.field({ type: Address, nullable: true, resolve: (client) => client.addressId }),
    bankAccounts: t.loadable({
      type: AccountConnection,
      nullable: false,
      description: 'The bank accounts of this client, by id. Pages of all clients in a page load in one query.',
      byPath: true,
      args: { ...t.arg.connectionArgs() },
      load: async (clientIds: number[], context, args) => {
        const request = toKeysetPage(args, context.pageSizes, 'bankAccounts', accountCursors);
        const far = farCursor(request);
        const [pages, beyond] = await Promise.all([
          context.dataSource.accountPages(clientIds, request),
          far && context.dataSource.accountsExistBeyond(clientIds, far.key, far.side),
        ]);
        return pages.map((page, index) => toConnection(page, request, accountCursors, beyond?.[index] ?? false));
      },
      resolve: (client) => client.id,
    }),
    ...exposeStrings(t, clientStrings),
  }),
});

builder.queryType({});

builder.queryField('clients', (t) =>
  t.connection(
    {
      type: Client,
      nullable: false,
      description: `Clients, a page at a time (Relay cursor connection). \`first\`/\`last\` default to DEFAULT_PAGE_SIZE and may not exceed MAX_PAGE_SIZE.`,
      args: {
        orderBy: t.arg({ type: ClientOrderEnum, defaultValue: 'ID_ASC' }),
        filter: t.arg({ type: ClientFilterInput }),
      },
      resolve: async (_root, args, context, info) => {
        const order: ClientOrder = args.orderBy ?? 'ID_ASC';
        const filter = toClientFilter(args.filter);
        if (isOutsideSlice(context, info)) return emptyConnection(filter);
        const cursors = clientCursors(order, filter);
        const request = toKeysetPage(args, context.pageSizes, 'clients', cursors);
        return clientPage({ query: { ...request, order, filter }, cursors }, context, info);
      },
    },
    {
      name: 'ClientConnection',
      fields: (connection) => ({
        totalCount: connection.int({
          nullable: false,
          description: 'How many clients match the filter; counted only when selected.',
          resolve: (connection, _args, context) =>
            isSlice(context) ? 0 : context.dataSource.countClients(connection.filter),
        }),
      }),
    },
    { name: 'ClientEdge' },
  ),
);
