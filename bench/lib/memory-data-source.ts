import type { AccountRow, AddressRow, ClientRow, DataSource } from '../../src/data/data-source.js';
import { inKeyOrder } from '../../src/data/data-source.js';
import { openDataSource } from '../../src/data/open-data-source.js';
import { toPage } from '../../src/data/pages.js';

const unsupported = (what: string) => () => {
  throw new Error(`the in-memory peer does not support ${what}`);
};

/**
 * Every row of a database loaded into arrays once, for the peer "holding the objects in memory"
 * (bench/peer-server.ts): the pages it answers cost no database read at all. It supports what
 * the export benchmarks ask: `clients` by id from the start, addresses, and account pages.
 */
export async function loadIntoMemory(databaseUrl: string): Promise<DataSource> {
  const source = openDataSource(databaseUrl, { poolSize: 1, statementTimeoutMs: 600_000 });
  const clients = (await source.clientPage({ order: 'ID_ASC', filter: {}, limit: 10_000_000, fromEnd: false })).rows;
  const addressIds = new Set<number>();
  for (const client of clients) if (client.addressId) addressIds.add(client.addressId);
  const accountPages = await source.accountPages(
    clients.map((client) => client.id),
    { limit: 1_000_000, fromEnd: false },
  );
  const accounts = new Map<number, AccountRow[]>(
    clients.map((client, index) => [client.id, accountPages[index]?.rows ?? []]),
  );
  for (const rows of accounts.values())
    for (const account of rows) if (account.addressId) addressIds.add(account.addressId);
  const addresses = new Map<number, AddressRow>();
  for (const row of await source.addressesByIds([...addressIds])) if (row) addresses.set(row.id, row);
  await source.close();
  const byId = new Map<number, ClientRow>(clients.map((client) => [client.id, client]));
  return {
    async clientPage(query) {
      if (query.order !== 'ID_ASC' || query.fromEnd || query.before || Object.keys(query.filter).length > 0) {
        throw new Error('the in-memory peer pages clients by id, forwards, unfiltered');
      }
      const start = query.after ? clients.findIndex((client) => client.id > (query.after?.id ?? 0)) : 0;
      return toPage(clients.slice(start, start + query.limit + 1), query.limit, false);
    },
    clientKeys: unsupported('slices'),
    clientRows: unsupported('the planner'),
    clientExistsBeyond: async () => false,
    countClients: async () => clients.length,
    clientsByIds: async (ids) => ids.map((id) => byId.get(id) ?? null),
    addressesByIds: async (ids) => ids.map((id) => addresses.get(id) ?? null),
    accountsByIds: async (ids) => inKeyOrder(ids, [...accounts.values()].flat()),
    async accountPages(clientIds, page) {
      if (page.after !== undefined || page.before !== undefined)
        throw new Error('the in-memory peer pages accounts from the start');
      return clientIds.map((id) => toPage([...(accounts.get(id) ?? [])], page.limit, page.fromEnd));
    },
    accountsExistBeyond: async (clientIds) => clientIds.map(() => false),
    close: async () => {},
  };
}
