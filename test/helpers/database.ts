import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SeedProfile } from '../../src/data/generate.js';
import { seedSqlite } from '../../src/data/seed-sqlite.js';
import type { Cleanup } from './cleanup.js';

/** Seeds a real SQLite file in a temporary folder, removed when the test (or suite) ends. */
export function createTestDatabase(
  t: Cleanup,
  clients: number,
  profile: SeedProfile = 'full',
): { path: string; url: string } {
  const folder = mkdtempSync(join(tmpdir(), 'clients-test-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  const path = join(folder, 'clients.db');
  seedSqlite({ path, clients, profile });
  return { path, url: `file:${path}` };
}
