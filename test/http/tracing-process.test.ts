import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Cleanup } from '../helpers/cleanup.js';
import { createTemporaryFolder, createTestDatabase } from '../helpers/database.js';
import { startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { spawnService, waitFor } from '../helpers/process.js';
import { postGraphQL } from '../helpers/server.js';

const recordImports = new URL('../fixtures/record-imports.js', import.meta.url).pathname;
const mainFile = new URL('../../src/main.js', import.meta.url).pathname;
const page = '{ clients(first: 3) { edges { node { id address { str1 } } } } }';

/**
 * Runs `node dist/src/main.js` as `npm start` does, recording the modules every thread resolves;
 * answers one operation, then stops it with SIGTERM and answers what each thread loaded.
 */
async function serveOnce(t: Cleanup, env: Record<string, string>) {
  const database = createTestDatabase(t, 10);
  const imports = join(createTemporaryFolder(t), 'imports.txt');
  const service = await spawnService(
    t,
    { DATABASE_URL: database.url, SHUTDOWN_DELAY_MS: '0', RECORD_IMPORTS_TO: imports, ...env },
    ['--import', recordImports, mainFile],
  );
  await waitFor(async () => (await fetch(`${service.url}/readyz`)).ok, 20_000);
  assert.equal((await postGraphQL(service.url, page)).status, 200);
  const exited = once(service.child, 'exit');
  service.child.kill('SIGTERM');
  assert.deepEqual(await exited, [0, null], 'a graceful exit');
  const lines = existsSync(imports) ? readFileSync(imports, 'utf8').trim().split('\n') : [];
  const threads = new Set(lines.map((line) => Number(line.split(' ', 1)[0])));
  const telemetry = lines.filter((line) => /\/@opentelemetry\/|\/telemetry\/sdk\.js$/.test(line));
  return { threads, telemetryThreads: new Set(telemetry.map((line) => Number(line.split(' ', 1)[0]))) };
}

test('with OTEL_EXPORTER_OTLP_ENDPOINT unset, no thread loads any OpenTelemetry module', async (t) => {
  const loaded = await serveOnce(t, { OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '' });
  assert.ok(loaded.threads.has(0) && loaded.threads.size >= 2, 'the main thread and the worker were watched');
  assert.deepEqual([...loaded.telemetryThreads], []);
});

test('npm start with an endpoint: SIGTERM sends the spans every thread still holds before the process exits', async (t) => {
  const receiver = await startOtlpReceiver(t);
  const loaded = await serveOnce(t, {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
  });
  assert.ok(
    loaded.telemetryThreads.has(0) && loaded.telemetryThreads.size >= 2,
    'the SDK ran in the main thread and the worker',
  );
  const names = receiver.spans().map((span) => span.name);
  for (const name of ['POST /graphql', 'graphql.execute', 'pool.wait', 'worker.operation', 'SELECT clients']) {
    assert.ok(names.includes(name), `${name} was sent before the exit (got ${names.join(', ')})`);
  }
});
