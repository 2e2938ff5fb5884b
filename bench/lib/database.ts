import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SeedProfile } from '../../src/data/generate.js';
import { seedSqlite } from '../../src/data/seed-sqlite.js';

/** A seeded SQLite file under bench/.data, made once and reused by later runs. */
export function benchDatabase(clients: number, profile: SeedProfile): string {
  const path = fileURLToPath(new URL(`../../../bench/.data/clients-${clients}-${profile}.db`, import.meta.url));
  if (!existsSync(path)) {
    process.stderr.write(`seeding ${clients} clients (${profile}) into ${path}\n`);
    seedSqlite({ path, clients, profile });
  }
  return `file:${path}`;
}
