import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { generateClients, type SeedProfile } from './generate.js';
import { accountStrings, addressStrings, clientStrings, createIndexesSql, createTablesSql } from './tables.js';

export interface SeedOptions {
  /** Database file to (re)create. */
  path: string;
  clients: number;
  profile: SeedProfile;
}

const insertSql = (table: string, columns: readonly string[]) =>
  `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;

/**
 * Writes a fresh database next to `path` and renames it into place, so a seed that dies
 * half-way never leaves a half-filled database behind.
 */
export function seedSqlite(options: SeedOptions): void {
  mkdirSync(dirname(options.path), { recursive: true });
  const building = `${options.path}.building`;
  rmSync(building, { force: true });
  const db = new Database(building);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  for (const sql of createTablesSql('sqlite')) db.exec(sql);

  const address = db.prepare(insertSql('addresses', ['id', ...addressStrings]));
  const client = db.prepare(insertSql('clients', ['id', 'address_id', ...clientStrings]));
  const account = db.prepare(insertSql('accounts', ['id', 'client_id', 'address_id', ...accountStrings]));
  const values = (row: object) => Object.values(row);

  const insertAll = db.transaction(() => {
    for (const generated of generateClients(options.clients, options.profile)) {
      for (const row of generated.addresses) address.run(values(row));
      client.run(values(generated.client));
      for (const row of generated.accounts) account.run(values(row));
    }
  });
  insertAll();
  for (const sql of createIndexesSql()) db.exec(sql);
  db.pragma('journal_mode = WAL');
  db.close();

  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(options.path + suffix)) rmSync(options.path + suffix);
  }
  renameSync(building, options.path);
}

/** Adds what an existing database lacks (tables, indexes of a newer version); idempotent. */
export function prepareSqlite(path: string): void {
  const db = new Database(path, { fileMustExist: true });
  try {
    for (const sql of [...createTablesSql('sqlite'), ...createIndexesSql()]) db.exec(sql);
  } finally {
    db.close();
  }
}
