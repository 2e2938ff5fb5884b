import { randomBytes } from 'node:crypto';
import { after, describe } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { SeedProfile } from '../../src/data/generate.js';
import { seedPostgres } from '../../src/data/seed-postgres.js';
import type { Cleanup } from './cleanup.js';
import { createTestDatabase } from './database.js';

export type Backend = 'sqlite' | 'postgres';

/** The PostgreSQL server tests use (CI sets it); without it, PostgreSQL suites report themselves skipped. */
export const testPostgresUrl = process.env.TEST_DATABASE_URL;
export const postgresSkipReason = testPostgresUrl
  ? false
  : 'SKIPPED: TEST_DATABASE_URL is not set, so the PostgreSQL suites did not run (.ci/run sets it)';

/** Declares the same suite once per backend: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export function describeEachBackend(name: string, body: (backend: Backend) => void): void {
  for (const backend of ['sqlite', 'postgres'] as const) {
    describe(`${name} (${backend})`, { skip: backend === 'postgres' && postgresSkipReason }, () => body(backend));
  }
}

/** A `Cleanup` for a describe block: what it is given runs after the block's tests, last first. */
export function createSuiteCleanup(): Cleanup {
  const tasks: (() => unknown)[] = [];
  after(async () => {
    for (const task of tasks.reverse()) await task();
  });
  return { after: (task) => tasks.push(task) };
}

export interface TestDatabase {
  /** The DATABASE_URL that points the service at it. */
  url: string;
  /** Runs SQL with `?` placeholders, writing when it must (the service itself only reads). */
  execute(sql: string, params?: unknown[]): Promise<unknown[]>;
}

/** Adds `-c search_path=<schema>` to a connection string: one schema per test database. */
export function withSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

/**
 * A seeded database on `backend`, dropped when the test (or suite) ends: a SQLite file in a
 * temporary folder, or a schema of its own on the test PostgreSQL server, so runs never collide.
 */
export async function createBackendDatabase(
  t: Cleanup,
  backend: Backend,
  clients: number,
  profile: SeedProfile = 'full',
): Promise<TestDatabase> {
  if (backend === 'sqlite') {
    const { path, url } = createTestDatabase(t, clients, profile);
    return {
      url,
      execute: async (sql, params = []) => {
        const db = new Database(path);
        try {
          const statement = db.prepare(sql);
          if (statement.reader) return statement.all(...params);
          statement.run(...params);
          return [];
        } finally {
          db.close();
        }
      },
    };
  }
  if (!testPostgresUrl) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  t.after(async () => {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  });
  const url = withSchema(testPostgresUrl, schema);
  await seedPostgres({ url, clients, profile });
  await admin.query(`SET search_path = ${schema}`);
  return {
    url,
    execute: async (sql, params = []) => {
      let n = 0;
      return (
        await admin.query(
          sql.replace(/\?/g, () => `$${++n}`),
          params,
        )
      ).rows;
    },
  };
}

/** A PostgreSQL database of its own: an outage made on it (refusing its connections) touches nothing else. */
export interface DedicatedDatabase {
  /** Its DATABASE_URL. */
  url: string;
  /** Refuses new connections and ends the open ones, as a database going away would. */
  goAway(): Promise<void>;
  /** Accepts connections again. */
  comeBack(): Promise<void>;
}

/** Creates and seeds a database on the test PostgreSQL server, dropped when the test ends. */
export async function createDedicatedPostgresDatabase(
  t: Cleanup,
  clients: number,
  profile: SeedProfile = 'full',
): Promise<DedicatedDatabase> {
  const name = `test_own_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  t.after(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });
  const url = new URL(testPostgresUrl ?? '');
  url.pathname = `/${name}`;
  await seedPostgres({ url: url.toString(), clients, profile });
  return {
    url: url.toString(),
    async goAway() {
      await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
    },
    async comeBack() {
      await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`);
    },
  };
}
