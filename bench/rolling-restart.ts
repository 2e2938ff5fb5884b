import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchDatabase, benchPostgresDatabase } from './lib/database.js';
import { haproxyInstalled } from './lib/haproxy.js';
import { createCleanup } from './lib/processes.js';
import { rollingRestart } from './lib/rolling-restart.js';

/**
 * Does a rolling restart lose requests? 3 replicas behind HAProxy (health check on readiness,
 * as a Kubernetes Service follows it) over one database; 8 callers page through clients while
 * each replica in turn gets SIGTERM, exits, and starts again. Target: 0 failed requests.
 * Settings (environment): DATABASE_URL (any the service takes; default: 40,000 full clients in
 * the schema bench_40000_full on BENCH_DATABASE_URL / TEST_DATABASE_URL / the local PostgreSQL,
 * seeded once; BACKEND=sqlite: a SQLite file under bench/.data, which every replica opens
 * read-only), REPLICAS (3), CALLERS (8), SETTLE_SECONDS (3), CHECK_INTERVAL_MS (2000, the
 * manifests' readiness period), SHUTDOWN_DELAY_MS (5000).
 * Usage: npm run bench:rolling-restart   (needs `apt-get install -y haproxy`)
 */
if (!haproxyInstalled()) {
  process.stderr.write('haproxy is not installed: apt-get install -y haproxy\n');
  process.exit(2);
}
const folder = mkdtempSync(join(tmpdir(), 'rolling-restart-'));
const cleanup = createCleanup();
cleanup.after(() => rmSync(folder, { recursive: true, force: true }));
const databaseUrl =
  process.env.DATABASE_URL ||
  (process.env.BACKEND === 'sqlite' ? benchDatabase(40_000, 'full') : await benchPostgresDatabase(40_000, 'full'));
try {
  const result = await rollingRestart(cleanup, {
    databaseUrl,
    replicas: Number(process.env.REPLICAS ?? 3),
    callers: Number(process.env.CALLERS ?? 8),
    settleMs: Number(process.env.SETTLE_SECONDS ?? 3) * 1000,
    checkIntervalMs: Number(process.env.CHECK_INTERVAL_MS ?? 2000),
    env: { SHUTDOWN_DELAY_MS: process.env.SHUTDOWN_DELAY_MS ?? '5000' },
    folder,
  });
  process.stdout.write(`database: ${databaseUrl.replace(/\/\/[^@/]*@/, '//')}\n`);
  console.table(result.phases);
  console.table(result.restarts);
  const failed = result.phases.reduce((sum, phase) => sum + phase.failed, 0);
  process.stdout.write(`failed requests: ${failed} ${JSON.stringify(result.failures)}\n`);
  process.exitCode = failed === 0 ? 0 : 1;
} finally {
  await cleanup.run();
}
