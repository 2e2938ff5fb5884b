import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SeedProfile } from '../../src/data/generate.js';
import { seedSqlite } from '../../src/data/seed-sqlite.js';
import type { Cleanup } from './cleanup.js';

/** A fresh temporary folder, removed when the test (or file) ends. */
export function createTemporaryFolder(t: Cleanup): string {
  const folder = mkdtempSync(join(tmpdir(), 'clients-test-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

/** Seeds a real SQLite file in a temporary folder, removed when the test (or file) ends. */
export function createTestDatabase(
  t: Cleanup,
  clients: number,
  profile: SeedProfile = 'full',
): { path: string; url: string } {
  const path = join(createTemporaryFolder(t), 'clients.db');
  seedSqlite({ path, clients, profile });
  return { path, url: `file:${path}` };
}
