import {
  type ClientColumns,
  clientExistsBeyondStatement,
  clientPageStatements,
  countClientsStatement,
} from './client-queries.js';
import type {
  AccountRow,
  AddressRow,
  ClientKey,
  ClientPageQuery,
  ClientRow,
  DataSource,
  PageRows,
} from './data-source.js';
import { inKeyOrder } from './data-source.js';
import { groupAccountPages, toPage } from './pages.js';
import {
  accountPagesStatement,
  accountsExistBeyondStatement,
  byIdsStatement,
  type Dialect,
  type Statement,
} from './queries.js';
import { isDatabaseId } from './storable-values.js';
import { traceRunner } from './traced-runner.js';

/** What a database driver provides: run one statement, answer its rows as plain objects. */
export interface StatementRunner {
  all<Row>(statement: Statement): Promise<Row[]> | Row[];
  /** The rows as arrays of column values, in batches, in the statement's order. */
  arrays(statement: Statement): AsyncIterable<unknown[][]>;
  close(): Promise<void> | void;
}

/** The data source over any SQL database: the statements are shared, only the runner and dialect differ. */
export function createSqlDataSource(dialect: Dialect, untraced: StatementRunner): DataSource {
  const runner = traceRunner(dialect.flavour, untraced);
  const all = async <Row>(statement: Statement) => runner.all<Row>(statement);
  const first = async <Row>(statement: Statement) => (await all<Row>(statement))[0] as Row;
  // An id no row can have is missing without asking: PostgreSQL would fail the whole batch on it.
  const byIds = async <Row extends { id: number }>(
    table: 'clients' | 'addresses' | 'accounts',
    ids: readonly number[],
  ) => {
    const possible = ids.filter(isDatabaseId);
    return inKeyOrder(ids, possible.length ? await all<Row>(byIdsStatement(dialect, table, possible)) : []);
  };

  async function readPage<Row>(query: ClientPageQuery, columns: ClientColumns): Promise<PageRows<Row>> {
    const rows: Row[] = [];
    // Segments are read in turn; a page rarely spans more than one.
    for (const statement of clientPageStatements(dialect, query, columns)) {
      for (const row of await all<Row>(statement(query.limit + 1 - rows.length))) rows.push(row);
      if (rows.length > query.limit) break;
    }
    return toPage(rows, query.limit, query.fromEnd);
  }

  return {
    clientPage: (query) => readPage<ClientRow>(query, 'row'),
    clientKeys: (query) => readPage<ClientKey>(query, 'key'),
    async *clientRows(query) {
      const { select, limit, fromEnd } = query;
      // Rows come in scan order: a page read from the end is turned around once it is whole.
      const backwards: unknown[][] = [];
      let read = 0;
      for (const statement of clientPageStatements(dialect, query, select)) {
        if (read >= limit) break;
        for await (const batch of runner.arrays(statement(limit - read))) {
          read += batch.length;
          if (fromEnd) backwards.push(...batch);
          else yield batch;
        }
      }
      if (fromEnd && backwards.length > 0) yield backwards.reverse();
    },
    async clientExistsBeyond(order, filter, key, side) {
      // SQLite answers 0/1, PostgreSQL a boolean.
      return Boolean(
        (await first<{ exists: unknown }>(clientExistsBeyondStatement(dialect, order, filter, key, side))).exists,
      );
    },
    async countClients(filter) {
      // PostgreSQL answers COUNT(*) as a bigint string.
      return Number((await first<{ count: unknown }>(countClientsStatement(dialect, filter))).count);
    },
    clientsByIds: (ids) => byIds<ClientRow>('clients', ids),
    addressesByIds: (ids) => byIds<AddressRow>('addresses', ids),
    accountsByIds: (ids) => byIds<AccountRow>('accounts', ids),
    async accountPages(clientIds, page) {
      return groupAccountPages(clientIds, await all<AccountRow>(accountPagesStatement(dialect, clientIds, page)), page);
    },
    async accountsExistBeyond(clientIds, key, side) {
      const rows = await all<{ clientId: number }>(accountsExistBeyondStatement(dialect, clientIds, key, side));
      const found = new Set(rows.map((row) => row.clientId));
      return clientIds.map((id) => found.has(id));
    },
    async close() {
      await runner.close();
    },
  };
}
