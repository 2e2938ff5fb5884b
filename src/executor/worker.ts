import { threadId } from 'node:worker_threads';
import { move, workerData } from 'piscina';
import { checkDataSource, openDataSource } from '../data/open-data-source.js';
import { createLogger } from '../logger.js';
import { createEdgesWriter } from '../planner/index.js';
import type { Context } from '../schema/context.js';
import { schema } from '../schema/index.js';
import { startTracing, traceTask } from '../telemetry/tracing.js';
import { traceCompression } from '../telemetry/work-spans.js';
import { compress, minCompressedBytes } from './compression.js';
import { writeActual } from './cost-extension.js';
import { type CompileReport, createCompiledExecutor } from './execute-compiled.js';
import { setErrorLogger } from './log-errors.js';
import {
  epochNow,
  type OperationReply,
  type OperationTask,
  packReply,
  type SliceReply,
  type SliceTask,
  type Task,
  type WorkerSettings,
} from './protocol.js';
import { runOperation } from './run-operation.js';
import { runSlice } from './run-slice.js';
import { encodePart, startCoding } from './stream-coding.js';

// Opened once per worker when piscina loads this module, before the first task.
const settings = workerData as WorkerSettings;
const dataSource = openDataSource(settings.databaseUrl, settings.dataSource);
const logger = createLogger(settings.logLevel);
setErrorLogger(logger);
const edgesWriter = settings.planner ? createEdgesWriter(dataSource, settings.pageSizes) : undefined;
// The tracing SDK's warnings (an export that failed) go where the worker's errors go.
const tracing = await startTracing(settings.tracing, (message) => logger.warn({ threadId }, `tracing: ${message}`));
const taskAttributes = { 'thread.id': threadId };

const encoder = new TextEncoder();
// One task runs at a time in a worker: the compilations of the current one, reported with its reply.
const compiles: CompileReport[] = [];
const execute = createCompiledExecutor({ onCompile: (report) => compiles.push(report) });

const warmUpQuery: OperationTask = {
  kind: 'operation',
  query: '{ clients(first: 1) { edges { node { id address { id } bankAccounts(first: 1) { edges { cursor } } } } } }',
};

/** The piscina task handler: bytes out, transferred rather than copied. */
export async function handleTask(task: Task): Promise<Uint8Array | null> {
  // DataLoaders hang off the context, so each task gets fresh ones.
  const context: Context = { dataSource, pageSizes: settings.pageSizes, edgesWriter };
  if (task.kind === 'flush') {
    await tracing.flush();
    return null;
  }
  if (task.kind === 'warm-up') {
    // The database first: an operation's masked error would hide why it is broken.
    await checkDataSource(dataSource, settings.databaseUrl);
    await runOperation(schema, warmUpQuery, context, execute);
    return null;
  }
  const startedAt = epochNow();
  compiles.length = 0;
  const reply = await traceTask<Reply<OperationReply> | Reply<SliceReply>>(
    `worker.${task.kind}`,
    task.trace,
    taskAttributes,
    () => (task.kind === 'slice' ? sliceReply(task, context) : operationReply(task, context)),
  );
  const timing = { startedAt, runMs: epochNow() - startedAt, compiles };
  return move(packReply({ ...reply.header, timing }, reply.body)) as unknown as Uint8Array;
}

type Reply<Header> = { header: Omit<Header, 'timing' | 'body'>; body: string | Uint8Array };

async function operationReply(task: OperationTask, context: Context): Promise<Reply<OperationReply>> {
  const { summary, text, streams, texts, objects } = await runOperation(schema, task, context, execute);
  if (streams.length > 0) {
    const coding = startCoding(task.streamEncoding);
    const first = traceCompression(coding.encoding, () => encodePart(text, coding, { first: true, last: false }));
    const contentEncoding = first.coding.encoding === 'gzip' ? ('gzip' as const) : undefined;
    return {
      header: { summary: { ...summary, contentEncoding }, stream: { streams, texts, coding: first.coding, objects } },
      body: first.bytes,
    };
  }
  // Compressed here, so the main thread never is; a string's length bounds its UTF-8 size from below.
  const { encoding } = task;
  if (!encoding || text.length < minCompressedBytes) return { header: { summary }, body: text };
  return {
    header: { summary: { ...summary, contentEncoding: encoding } },
    body: traceCompression(encoding, () => compress(encoder.encode(text), encoding)),
  };
}

async function sliceReply(task: SliceTask, context: Context): Promise<Reply<SliceReply>> {
  const outcome = await runSlice(schema, task, context, execute);
  if ('failed' in outcome) {
    return { header: { rows: 0, objects: 0, ended: false, coding: task.coding, failed: outcome.failed }, body: '' };
  }
  const { rows, objects, lastKey } = outcome;
  const ended = task.endsStream || ('limit' in task.range && rows < task.range.limit);
  const last = ended && task.lastStream;
  const followedBy = !ended ? '' : last ? writeActual(task.followedBy, task.objectsBefore + objects) : task.followedBy;
  const part = traceCompression(task.coding.encoding, () =>
    encodePart(outcome.text + followedBy, task.coding, { first: false, last }),
  );
  return { header: { rows, objects, ended, lastKey, coding: part.coding }, body: part.bytes };
}
