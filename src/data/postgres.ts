import pg from 'pg';
import Cursor from 'pg-cursor';
import { unavailable } from '../errors.js';
import type { DataSource } from './data-source.js';
import type { Dialect, Statement } from './queries.js';
import { createSqlDataSource } from './sql-data-source.js';

export interface PostgresOptions {
  /** A `postgres://` connection string; `?options=-c search_path=...` picks a schema. */
  url: string;
  /** Connections this pool may open (`PG_POOL_SIZE`). */
  poolSize: number;
  /** The server cancels a statement that runs longer (`REQUEST_TIMEOUT_MS`). */
  statementTimeoutMs: number;
  /** Called with the SQL of every statement run; used to count statements. */
  onStatement?: (sql: string) => void;
  /** Rows fetched per round trip when rows stream through a cursor. Default 500. */
  cursorBatchRows?: number;
}

// Lists travel as one array parameter: no limit on their length, one statement shape.
export const postgresDialect: Dialect = {
  flavour: 'postgres',
  param: (n) => `$${n}`,
  inList: (column, param, type) => `${column} = ANY(${param}::${type}[])`,
  list: (values) => values,
  startsWith: (column, param) => `starts_with(${column}, ${param})`,
  limit: (param) => `LIMIT ${param}`,
};

/** How long a caller should wait before retrying when the database cannot be reached. */
const retryAfterSeconds = 5;

/**
 * Errors that mean "the database is not there" rather than "this statement is wrong": anything
 * but an error the server sent (a socket closed or refused; its code, such as EPIPE, may even
 * look like an SQLSTATE) and the server's connection, operator intervention and resource classes
 * (08, 57P, 53).
 */
function isConnectionLoss(error: unknown): boolean {
  if (!(error instanceof pg.DatabaseError)) return true;
  const { code = '' } = error;
  return code.startsWith('08') || code.startsWith('57P') || code.startsWith('53');
}

const databaseUnavailable = (cause: unknown) =>
  unavailable('The database is unavailable. Retry shortly.', retryAfterSeconds, cause);

/**
 * A PostgreSQL data source over a small pool. Connections that break are dropped and new
 * ones opened on the next statement, so the service recovers by itself when the database
 * comes back.
 */
export function createPostgresDataSource(options: PostgresOptions): DataSource {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize,
    connectionTimeoutMillis: 5_000,
    statement_timeout: options.statementTimeoutMs,
    fallback_application_name: 'clients-query-service',
  });
  // An idle connection that the server closes emits here; the pool has already dropped it.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    // A connection in use that dies emits too (a write on its closed socket: EPIPE): the statement
    // running on it fails with the error, which is what callers see; unheard, it would end the worker.
    client.on('error', () => {});
    // JIT compiles a statement the planner estimates dear, such as a planned slice of 2000 clients:
    // 40 ms of compiling for 65 ms of running. Our statements are index reads that never repay it.
    // Queued first, so it runs before any statement; should it fail, so will they.
    client.query('SET jit = off').catch(() => {});
  });

  async function connect(sql: string): Promise<pg.PoolClient> {
    options.onStatement?.(sql);
    try {
      return await pool.connect();
    } catch (error) {
      throw databaseUnavailable(error);
    }
  }

  /**
   * Runs one read. A pooled connection may have died unnoticed while idle (a restarted or
   * failed-over server); reads are safe to repeat, so one such loss is retried on a fresh one.
   */
  async function all<Row>({ sql, params }: Statement, retries = 1): Promise<Row[]> {
    const client = await connect(sql);
    try {
      const result = await client.query(sql, params);
      client.release();
      return result.rows as Row[];
    } catch (error) {
      const lost = isConnectionLoss(error);
      client.release(lost);
      if (!lost) throw error;
      if (retries > 0) return all({ sql, params }, retries - 1);
      throw databaseUnavailable(error);
    }
  }

  /**
   * Reads through a cursor, `cursorBatchRows` at a time, so a large page is never one result set.
   * As `all`, a connection found dead before the first rows came is replaced once.
   */
  async function* arrays(statement: Statement, retries = 1): AsyncIterable<unknown[][]> {
    const client = await connect(statement.sql);
    const cursor = client.query(new Cursor<unknown[]>(statement.sql, statement.params, { rowMode: 'array' }));
    let failed = false;
    let yielded = false;
    try {
      for (;;) {
        const batch = await cursor.read(options.cursorBatchRows ?? 500);
        if (batch.length === 0) break;
        yielded = true;
        yield batch;
      }
    } catch (error) {
      failed = true;
      if (!isConnectionLoss(error)) throw error;
      if (yielded || retries === 0) throw databaseUnavailable(error);
    } finally {
      // After an error the portal's state is unknown: the connection is dropped rather than reused.
      if (!failed) await cursor.close().catch(() => (failed = true));
      client.release(failed);
    }
    if (failed) yield* arrays(statement, retries - 1);
  }

  return createSqlDataSource(postgresDialect, { all, arrays, close: () => pool.end() });
}
