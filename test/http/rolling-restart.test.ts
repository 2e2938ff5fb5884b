import assert from 'node:assert/strict';
import { test } from 'node:test';
import { haproxyInstalled } from '../../bench/lib/haproxy.js';
import { rollingRestart } from '../../bench/lib/rolling-restart.js';
import { createBackendDatabase, testPostgresUrl } from '../helpers/backends.js';
import { createTemporaryFolder } from '../helpers/database.js';

const skip = haproxyInstalled() ? false : 'haproxy is not installed (apt-get install -y haproxy; .ci/run installs it)';

// PostgreSQL when the tests have one (as deployed), else one SQLite file that every replica reads.
const backend = testPostgresUrl ? 'postgres' : 'sqlite';

test(`a rolling restart of 3 replicas behind HAProxy loses no request (${backend})`, { skip }, async (t) => {
  const database = await createBackendDatabase(t, backend, 2_000);
  const result = await rollingRestart(t, {
    databaseUrl: database.url,
    replicas: 3,
    callers: 8,
    settleMs: 1_000,
    checkIntervalMs: 500,
    env: { SHUTDOWN_DELAY_MS: '1500' },
    folder: createTemporaryFolder(t),
  });
  assert.deepEqual(result.failures, {});
  assert.deepEqual(
    result.restarts.map((restart) => restart.exitCode),
    [0, 0, 0],
  );
  const during = result.phases.find((phase) => phase.phase === 'during the roll');
  assert.ok(during && during.requests > 100, `requests served during the roll: ${during?.requests}`);
});
