import { resolve } from 'node:path';
import type { DataSource } from './data-source.js';
import { createSqliteDataSource, type SqliteOptions } from './sqlite.js';

/** Where a DATABASE_URL points. */
export type DatabaseLocation = { kind: 'sqlite'; path: string };

/** Parses `DATABASE_URL`: `file:<path>` (relative to the working directory) is SQLite. */
export function parseDatabaseUrl(url: string): DatabaseLocation {
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '') throw new Error('DATABASE_URL "file:" needs a path, e.g. file:./data/clients.db');
    return { kind: 'sqlite', path: resolve(path) };
  }
  throw new Error(`DATABASE_URL must start with "file:" (SQLite), got "${url.split(':')[0]}:..."`);
}

/**
 * Reads one row, so that a missing or broken database fails startup with its real reason
 * (as a plain Error: driver error classes lose their message crossing threads).
 */
export async function checkDataSource(dataSource: DataSource, url: string): Promise<void> {
  try {
    await dataSource.clientPage({ order: 'ID_ASC', limit: 1, fromEnd: false });
  } catch (error) {
    throw new Error(`${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function openDataSource(url: string, options: Omit<SqliteOptions, 'path'> = {}): DataSource {
  const location = parseDatabaseUrl(url);
  return createSqliteDataSource({ ...options, path: location.path });
}
