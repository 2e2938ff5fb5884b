import Database from 'better-sqlite3';
import type { DataSource } from './data-source.js';
import type { Dialect } from './queries.js';
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
  param: () => '?',
  inList: (column, param) => `${column} IN (SELECT value FROM json_each(${param}))`,
  list: (values) => JSON.stringify(values),
  startsWith: (column, param) => `instr(${column}, ${param}) = 1`,
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
  return createSqlDataSource(sqliteDialect, {
    all: <Row>({ sql, params }: { sql: string; params: unknown[] }) => statement(sql).all(...params) as Row[],
    close: () => {
      db.close();
    },
  });
}
