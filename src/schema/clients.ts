import type { ClientOrder, ClientRow } from '../data/data-source.js';
import { clientStrings } from '../data/tables.js';
import { AccountConnection } from './accounts.js';
import { Address } from './addresses.js';
import { builder } from './builder.js';
import { toConnection, toKeysetPage } from './pagination.js';
import { exposeStrings } from './string-fields.js';

const ClientOrderEnum = builder.enumType('ClientOrder', {
  description: 'Orderings of `clients`. Each is a keyset on the sort key with the id as tie-breaker.',
  values: {
    ID_ASC: { description: 'By id, ascending (the default).' },
    ID_DESC: { description: 'By id, descending.' },
  } as const,
});

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
        const request = toKeysetPage(args, context.pageSizes, 'bankAccounts', 'accounts');
        const pages = await context.dataSource.accountPages(clientIds, request);
        let beyond: Promise<boolean[]> | undefined;
        return Promise.all(
          pages.map((page, index) =>
            toConnection(page, request, 'accounts', async (key, side) => {
              beyond ??= context.dataSource.accountsExistBeyond(clientIds, key, side);
              return (await beyond)[index] ?? false;
            }),
          ),
        );
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
      args: { orderBy: t.arg({ type: ClientOrderEnum, defaultValue: 'ID_ASC' }) },
      resolve: async (_root, args, context) => {
        const order: ClientOrder = args.orderBy ?? 'ID_ASC';
        const scope = `clients:${order}`;
        const request = toKeysetPage(args, context.pageSizes, 'clients', scope);
        const page = await context.dataSource.clientPage({ ...request, order });
        return toConnection(page, request, scope, (key, side) =>
          context.dataSource.clientExistsBeyond(order, key, side),
        );
      },
    },
    {
      name: 'ClientConnection',
      fields: (connection) => ({
        totalCount: connection.int({
          nullable: false,
          description: 'How many clients there are; counted only when selected.',
          resolve: (_connection, _args, context) => context.dataSource.countClients(),
        }),
      }),
    },
    { name: 'ClientEdge' },
  ),
);
