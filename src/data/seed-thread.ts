import { existsSync } from 'node:fs';
import { isMainThread, Worker, workerData } from 'node:worker_threads';
import { prepareSqlite, type SeedOptions, seedSqlite } from './seed-sqlite.js';

/**
 * Seeds the embedded database when it is missing, or adds what an existing one lacks, in a
 * worker thread, so the main thread keeps answering probes while it runs.
 */
export function ensureSqliteInThread(options: SeedOptions): Promise<void> {
  const seeding = !existsSync(options.path);
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { ...options, seeding } });
    worker.once('error', reject);
    worker.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`preparing the database exited with code ${code}`)),
    );
  });
}

if (!isMainThread && workerData?.path) {
  const { seeding, ...options } = workerData as SeedOptions & { seeding: boolean };
  try {
    if (seeding) seedSqlite(options);
    else prepareSqlite(options.path);
  } catch (error) {
    // A plain Error: driver error classes lose their message crossing threads.
    throw new Error(`${options.path}: ${(error as Error).message}`);
  }
}
