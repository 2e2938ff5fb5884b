import Database from 'better-sqlite3';
import type { DataSource } from './data-source.js';
import type { Dialect, Statement } from './queries.js';
import { createSqlDataSource } from './sql-data-source.js';

export interface SqliteOptions {
  /** Path of the database file; it must exist (the seed creates it). */
  path: string;
  /** Called with the SQL of every statement run; used to count statements. */
  onStatement?: (sql: string) => void;
}

// json_each takes a whole list as one parameter: no limit on its length, one cached statement.
// instr() = 1 rather than LIKE: LIKE ignores ASCII case in SQLite and treats % and _ as wildcards.
export const sqliteDialect: Dialect = {
  flavour: 'sqlite',
  param: () => '?',
  inList: (column, param) => `${column} IN (SELECT value FROM json_each(${param}))`,
  list: (values) => JSON.stringify(values),
  startsWith: (column, param) => `instr(${column}, ${param}) = 1`,
  // A bare parameter as LIMIT makes SQLite compile its value into the plan, so every new binding
  // prepares the statement again (for a planned page, longer than reading its rows); an
  // expression does not.
  limit: (param) => `LIMIT ${param} + 0`,
};

/** Prepared statements kept per connection. */
const maxPreparedStatements = 500;

/** A read-only SQLite data source: one connection, statements prepared once and reused. */
export function createSqliteDataSource(options: SqliteOptions): DataSource {
  const db = new Database(options.path, {
    readonly: true,
    fileMustExist: true,
    verbose: options.onStatement ? (sql) => options.onStatement?.(String(sql)) : undefined,
  });
  // Planned statements differ per selection, so the cache is bounded: least recently used go first.
  const prepared = new Map<string, Database.Statement>();
  const statement = (sql: string) => {
    let found = prepared.get(sql);
    if (found) prepared.delete(sql);
    else found = db.prepare(sql);
    prepared.set(sql, found);
    if (prepared.size > maxPreparedStatements) prepared.delete(prepared.keys().next().value as string);
    return found;
  };
  return createSqlDataSource(sqliteDialect, {
    all: <Row>({ sql, params }: Statement) =>
      statement(sql)
        .raw(false)
        .all(...params) as Row[],
    // One batch: an iterator left open across an await would keep the connection busy for others.
    async *arrays({ sql, params }: Statement) {
      yield statement(sql)
        .raw(true)
        .all(...params) as unknown[][];
    },
    close: () => {
      db.close();
    },
  });
}
