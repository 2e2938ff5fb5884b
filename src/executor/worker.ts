import { move, workerData } from 'piscina';
import { checkDataSource, openDataSource } from '../data/open-data-source.js';
import { schema } from '../schema/index.js';
import { compress, minCompressedBytes } from './compression.js';
import { epochNow, type OperationTask, packReply, type Task, type WorkerSettings } from './protocol.js';
import { runOperation } from './run-operation.js';

// Opened once per worker when piscina loads this module, before the first task.
const settings = workerData as WorkerSettings;
const dataSource = openDataSource(settings.databaseUrl, settings.dataSource);

const encoder = new TextEncoder();

const warmUpQuery: OperationTask = {
  kind: 'operation',
  query: '{ clients(first: 1) { edges { node { id address { id } bankAccounts(first: 1) { edges { cursor } } } } } }',
};

/** The piscina task handler: bytes out, transferred rather than copied. */
export async function handleTask(task: Task): Promise<Uint8Array | null> {
  // DataLoaders hang off the context, so each operation gets fresh ones.
  const context = { dataSource, pageSizes: settings.pageSizes };
  if (task.kind === 'warm-up') {
    // The database first: an operation's masked error would hide why it is broken.
    await checkDataSource(dataSource, settings.databaseUrl);
    await runOperation(schema, warmUpQuery, context);
    return null;
  }
  const startedAt = epochNow();
  const { summary, body } = await runOperation(schema, task, context);
  // Compressed here, so the main thread never is; a string's length bounds its UTF-8 size from below.
  const compressed =
    task.encoding && body.length >= minCompressedBytes ? compress(encoder.encode(body), task.encoding) : undefined;
  const reply = packReply(
    compressed ? { ...summary, contentEncoding: task.encoding } : summary,
    { startedAt, runMs: epochNow() - startedAt },
    compressed ?? body,
  );
  return move(reply) as unknown as Uint8Array;
}
