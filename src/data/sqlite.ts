import Database from 'better-sqlite3';
import type { AccountRow, AddressRow, ClientRow, DataSource } from './data-source.js';
import { inKeyOrder } from './data-source.js';
import { groupAccountPages, toPage } from './pages.js';
import {
  accountPagesStatement,
  accountsExistBeyondStatement,
  byIdsStatement,
  clientExistsBeyondStatement,
  clientPageStatement,
  countClientsStatement,
  type Dialect,
  type Statement,
} from './queries.js';

export interface SqliteOptions {
  /** Path of the database file; it must exist (the seed creates it). */
  path: string;
  /** Called with the SQL of every statement run; used to count statements. */
  onStatement?: (sql: string) => void;
}

// json_each takes the whole id list as one parameter: no limit on its length, one cached statement.
const sqliteDialect: Dialect = {
  param: () => '?',
  inIds: (column, param) => `${column} IN (SELECT value FROM json_each(${param}))`,
  idList: (ids) => JSON.stringify(ids),
};

/** A read-only SQLite data source: one connection, statements prepared once and reused. */
export function createSqliteDataSource(options: SqliteOptions): DataSource {
  const db = new Database(options.path, {
    readonly: true,
    fileMustExist: true,
    verbose: options.onStatement ? (sql) => options.onStatement?.(String(sql)) : undefined,
  });
  const prepared = new Map<string, Database.Statement>();
  const statement = (sql: string) => {
    let found = prepared.get(sql);
    if (!found) {
      found = db.prepare(sql);
      prepared.set(sql, found);
    }
    return found;
  };
  const all = <Row>({ sql, params }: Statement) => statement(sql).all(...params) as Row[];
  const get = <Row>({ sql, params }: Statement) => statement(sql).get(...params) as Row;

  return {
    async clientPage(query) {
      return toPage(all<ClientRow>(clientPageStatement(sqliteDialect, query)), query.limit, query.fromEnd);
    },
    async clientExistsBeyond(order, key, side) {
      return get<{ exists: number }>(clientExistsBeyondStatement(sqliteDialect, order, key, side)).exists === 1;
    },
    async countClients() {
      return get<{ count: number }>(countClientsStatement()).count;
    },
    async clientsByIds(ids) {
      return inKeyOrder(ids, all<ClientRow>(byIdsStatement(sqliteDialect, 'clients', ids)));
    },
    async addressesByIds(ids) {
      return inKeyOrder(ids, all<AddressRow>(byIdsStatement(sqliteDialect, 'addresses', ids)));
    },
    async accountsByIds(ids) {
      return inKeyOrder(ids, all<AccountRow>(byIdsStatement(sqliteDialect, 'accounts', ids)));
    },
    async accountPages(clientIds, page) {
      return groupAccountPages(clientIds, all<AccountRow>(accountPagesStatement(sqliteDialect, clientIds, page)), page);
    },
    async accountsExistBeyond(clientIds, key, side) {
      const rows = all<{ clientId: number }>(accountsExistBeyondStatement(sqliteDialect, clientIds, key, side));
      const found = new Set(rows.map((row) => row.clientId));
      return clientIds.map((id) => found.has(id));
    },
    async close() {
      db.close();
    },
  };
}
