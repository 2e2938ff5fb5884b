import { resolve } from 'node:path';
import type { DataSource } from './data-source.js';
import { createPostgresDataSource } from './postgres.js';
import { createSqliteDataSource } from './sqlite.js';

/** Where a DATABASE_URL points. */
export type DatabaseLocation = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

/** Parses `DATABASE_URL`: `file:<path>` (relative to the working directory) is SQLite, `postgres://` PostgreSQL. */
export function parseDatabaseUrl(url: string): DatabaseLocation {
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '') throw new Error('DATABASE_URL "file:" needs a path, e.g. file:./data/clients.db');
    return { kind: 'sqlite', path: resolve(path) };
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { kind: 'postgres', url };
  throw new Error(
    `DATABASE_URL must start with "file:" (SQLite) or "postgres://" (PostgreSQL), got "${url.split(':')[0]}:..."`,
  );
}

export interface DataSourceOptions {
  /** PostgreSQL connections per data source (`PG_POOL_SIZE`). */
  poolSize: number;
  /** PostgreSQL cancels statements running longer (`REQUEST_TIMEOUT_MS`). */
  statementTimeoutMs: number;
  /** Called with the SQL of every statement run; used to count statements. */
  onStatement?: (sql: string) => void;
}

export function openDataSource(url: string, options: DataSourceOptions): DataSource {
  const location = parseDatabaseUrl(url);
  if (location.kind === 'postgres') return createPostgresDataSource({ ...options, url: location.url });
  return createSqliteDataSource({ path: location.path, onStatement: options.onStatement });
}

/** Hides the password of a connection string, for messages and logs. */
export const redactDatabaseUrl = (url: string) => url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');

/**
 * Reads one row, so that a missing or broken database fails startup with its real reason
 * (as a plain Error: driver error classes lose their message crossing threads).
 */
export async function checkDataSource(dataSource: DataSource, url: string): Promise<void> {
  try {
    await dataSource.clientPage({ order: 'ID_ASC', filter: {}, limit: 1, fromEnd: false });
  } catch (error) {
    const reason = (error as { cause?: unknown }).cause ?? error;
    throw new Error(`${redactDatabaseUrl(url)}: ${reason instanceof Error ? reason.message : String(reason)}`);
  }
}
