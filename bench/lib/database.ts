import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { SeedProfile } from '../../src/data/generate.js';
import { seedPostgres } from '../../src/data/seed-postgres.js';
import { seedSqlite } from '../../src/data/seed-sqlite.js';
import { withSchema } from '../../test/helpers/backends.js';

/** A seeded SQLite file under bench/.data, made once and reused by later runs. */
export function benchDatabase(clients: number, profile: SeedProfile): string {
  const path = fileURLToPath(new URL(`../../../bench/.data/clients-${clients}-${profile}.db`, import.meta.url));
  if (!existsSync(path)) {
    process.stderr.write(`seeding ${clients} clients (${profile}) into ${path}\n`);
    seedSqlite({ path, clients, profile });
  }
  return `file:${path}`;
}

/** The PostgreSQL server benchmarks use: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the local one. */
export const benchPostgresUrl =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A seeded schema `bench_<clients>_<profile>` on the bench PostgreSQL server, made once and
 * reused while it holds the right number of clients. Answers its DATABASE_URL.
 */
export async function benchPostgresDatabase(clients: number, profile: SeedProfile): Promise<string> {
  const schema = `bench_${clients}_${profile}`;
  const url = withSchema(benchPostgresUrl, schema);
  const admin = new pg.Client({ connectionString: benchPostgresUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    const found = await admin.query(`SELECT to_regclass('${schema}.clients') IS NOT NULL AS "exists"`);
    const count = found.rows[0].exists
      ? (await admin.query(`SELECT COUNT(*)::int AS n FROM ${schema}.clients`)).rows[0].n
      : -1;
    if (count !== clients) {
      process.stderr.write(`seeding ${clients} clients (${profile}) into PostgreSQL schema ${schema}\n`);
      const started = performance.now();
      await seedPostgres({ url, clients, profile });
      process.stderr.write(`seeded in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    }
  } finally {
    await admin.end();
  }
  return url;
}
