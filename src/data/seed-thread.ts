import { isMainThread, Worker, workerData } from 'node:worker_threads';
import { type SeedOptions, seedSqlite } from './seed-sqlite.js';

/** Seeds in a worker thread, so the main thread keeps answering probes while it runs. */
export function seedInThread(options: SeedOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: options });
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`seeding exited with code ${code}`))));
  });
}

if (!isMainThread && workerData?.path) {
  seedSqlite(workerData as SeedOptions);
}
