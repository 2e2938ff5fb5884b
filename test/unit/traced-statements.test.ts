import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { DataSource } from '../../src/data/data-source.js';
import { parseDatabaseUrl } from '../../src/data/open-data-source.js';
import { createPostgresDataSource } from '../../src/data/postgres.js';
import { createSqliteDataSource } from '../../src/data/sqlite.js';
import { startTracing, traceTask } from '../../src/telemetry/tracing.js';
import { readTracingConfig } from '../../src/telemetry/tracing-config.js';
import { createBackendDatabase, postgresSkipReason } from '../helpers/backends.js';
import { startOtlpReceiver } from '../helpers/otlp-receiver.js';

/** Batches of 7 rows from PostgreSQL's cursor, so a read of 25 rows takes several. */
function openSource(url: string): DataSource {
  const location = parseDatabaseUrl(url);
  if (location.kind === 'sqlite') return createSqliteDataSource({ path: location.path });
  return createPostgresDataSource({ url: location.url, poolSize: 1, statementTimeoutMs: 10_000, cursorBatchRows: 7 });
}

for (const backend of ['sqlite', 'postgres'] as const) {
  test(`a statement read in batches (${backend}: the planner's reads) is one span under its task, every row counted`, {
    skip: backend === 'postgres' && postgresSkipReason,
  }, async (t) => {
    const receiver = await startOtlpReceiver(t);
    const database = await createBackendDatabase(t, backend, 30);
    const config = readTracingConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    });
    const tracing = await startTracing(config, (message) => assert.fail(message));
    t.after(() => tracing.stop());
    const dataSource = openSource(database.url);
    t.after(() => dataSource.close());

    const traceId = randomBytes(16).toString('hex');
    const senderId = randomBytes(8).toString('hex');
    let batches = 0;
    let rows = 0;
    await traceTask('worker.slice', { traceparent: `00-${traceId}-${senderId}-01` }, {}, async () => {
      const query = { order: 'ID_ASC', filter: {}, limit: 25, fromEnd: false, select: () => 'str1' } as const;
      for await (const batch of dataSource.clientRows(query)) {
        batches++;
        rows += batch.length;
      }
    });
    await tracing.stop();

    assert.equal(rows, 25);
    if (backend === 'postgres') assert.ok(batches > 1, `${batches} batches`);
    const spans = receiver.spans();
    const task = spans.find((span) => span.name === 'worker.slice');
    assert.ok(task && task.traceId === traceId && task.parentSpanId === senderId, 'the task continues its sender');
    const statements = spans.filter((span) => span.parentSpanId === task.spanId);
    assert.equal(statements.length, 1, 'one span for the statement, whatever its batches');
    const [statement] = statements;
    assert.equal(statement?.name, 'SELECT clients');
    assert.equal(statement?.attributes['db.system.name'], backend === 'postgres' ? 'postgresql' : 'sqlite');
    assert.match(String(statement?.attributes['db.query.text']), /^SELECT id, str1 FROM clients/);
    assert.equal(statement?.attributes['db.response.returned_rows'], 25);
  });
}
