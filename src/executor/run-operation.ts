import { randomBytes } from 'node:crypto';
import { type DocumentNode, type ExecutionResult, type GraphQLError, type GraphQLSchema, parse } from 'graphql';
import { createLRUCache, maskError, processRegularResult } from 'graphql-yoga';
import type { Context } from '../schema/context.js';
import { type EdgesMaker, hasSlices, type Slicing, type StreamedEdges } from '../schema/slicing.js';
import { withCostExtension } from './cost-extension.js';
import { type CompiledExecutor, createCompiledExecutor } from './execute-compiled.js';
import { logUnexpectedErrors } from './log-errors.js';
import type { OperationTask, OperationText, PendingEdges, ResultSummary } from './protocol.js';
import { countReturnedObjects, type ObjectsPlan, planReturnedObjects } from './returned-objects.js';

const isDev = process.env.NODE_ENV === 'development';
const documents = createLRUCache<DocumentNode>({ max: 1000 });
const executeCompiled = createCompiledExecutor();

/** Captures what yoga's result processor would send, instead of building a real Response. */
class CapturedResponse {
  constructor(readonly body: string) {}
}
const capture = { Response: CapturedResponse } as unknown as Parameters<typeof processRegularResult>[1];

/** Where the operation's result holds the objects its cost counts (returned-objects.ts). */
export const objectsPlanOf = (schema: GraphQLSchema, operation: OperationText): ObjectsPlan =>
  planReturnedObjects(schema, parseCached(operation.query), operation.operationName);

function parseCached(query: string): DocumentNode {
  let document = documents.get(query);
  if (!document) {
    document = parse(query);
    documents.set(query, document);
  }
  return document;
}

/** Executes one operation as yoga would (same executor, same error masking). */
export async function executeOperation(
  schema: GraphQLSchema,
  operation: OperationText,
  contextValue: Context,
  execute: CompiledExecutor = executeCompiled,
): Promise<ExecutionResult> {
  const executed = await execute({
    schema,
    document: parseCached(operation.query),
    query: operation.query,
    contextValue,
    variableValues: operation.variables ?? undefined,
    operationName: operation.operationName ?? undefined,
  });
  if (!executed.errors) return executed;
  logUnexpectedErrors(executed.errors, parseCached(operation.query), operation);
  return {
    ...executed,
    errors: executed.errors.map((error) => maskError(error, 'Unexpected error.', isDev) as GraphQLError),
  };
}

/** What the first task of an operation produces. */
export interface OperationOutcome {
  summary: ResultSummary;
  /** The response's text; only its beginning when `streams` follow. */
  text: string;
  /** Edges still to be executed slice by slice, in body order; `texts[i]` follows `streams[i]`. */
  streams: PendingEdges[];
  texts: string[];
  /** The Client, Account and Address objects in `text`. */
  objects: number;
}

/**
 * Executes one operation as yoga would on the main thread and answers its text, with a summary
 * for the status code. A page larger than `task.sliceSize` holds at most its first slice: the text
 * then stops where the rest of its edges go, and `streams` say how to make them. Edges the
 * database wrote (`context.edgesWriter`) are put in the text where their list is.
 */
export async function runOperation(
  schema: GraphQLSchema,
  task: OperationTask,
  contextValue: Context,
  execute: CompiledExecutor = executeCompiled,
): Promise<OperationOutcome> {
  const run = (slicing?: Slicing) => executeOperation(schema, task, { ...contextValue, slicing }, execute);
  const slicing = {
    mode: 'frame' as const,
    sliceSize: task.sliceSize || Number.POSITIVE_INFINITY,
    streams: [] as StreamedEdges[],
    made: { executor: 0, sql: 0 },
  };
  let result = await run(slicing);
  let { streams } = slicing;
  // An error in a sliced or planned page (it would repeat in every slice) gets the whole page's exact answer.
  if (streams.some((stream) => result.errors?.some((error) => error.path?.[0] === stream.rootKey))) {
    result = await run();
    streams = [];
  }
  const placed = streams.filter((stream, index) => placeMarker(result, stream, index));
  const written = placed.reduce((sum, stream) => sum + (stream.written?.objects ?? 0), 0);
  const objects = countReturnedObjects(objectsPlanOf(schema, task), result.data) + written;
  const sliced = placed.some(hasSlices);
  // A response sent in slices learns its actual cost with its last slice, which writes it.
  if (task.cost) result = withCostExtension(result, task.cost, sliced ? 'pending' : objects);
  const text = serialise(result);
  const summary = { ...summarise(result), madeBy: madeBy(slicing.made) };
  if (placed.length === 0) return { summary, text, streams: [], texts: [], objects };
  return { summary, ...fillMarkers(text, placed, streams), objects };
}

const madeBy = ({ sql, executor }: Record<EdgesMaker, number>): ResultSummary['madeBy'] =>
  sql === 0 ? (executor === 0 ? undefined : 'executor') : executor === 0 ? 'sql' : 'both';

function serialise(result: ExecutionResult): string {
  return (processRegularResult(result, capture, 'application/json') as unknown as CapturedResponse).body;
}

function summarise(result: ExecutionResult): ResultSummary {
  const extensions = new Map<string, Record<string, unknown>>();
  for (const error of result.errors ?? []) {
    extensions.set(JSON.stringify(error.extensions ?? {}), error.extensions ?? {});
  }
  return { hasData: 'data' in result, errorExtensions: [...extensions.values()] };
}

// A string no client data can hold (the nonce is this worker's own), put where a stream's edges go.
const nonce = randomBytes(12).toString('hex');
const marker = (index: number) => `\u0000slice ${nonce} ${index}`;

/** Puts the marker of a stream after the edges the result holds; false when the list is gone (nulled by an error). */
function placeMarker(result: ExecutionResult, stream: StreamedEdges, index: number): boolean {
  const connection = result.data?.[stream.rootKey] as Record<string, unknown> | null | undefined;
  const edges = connection?.[stream.edgesKey];
  if (!Array.isArray(edges)) return false;
  edges.push(marker(index));
  return true;
}

/**
 * Replaces each marker (`[...edges,<marker>]`) with the edges the database wrote, and cuts the
 * text where slices are still to come: the first part, then the text after each stream with
 * slices, and those streams in body order (`afterEdges`: edges come before their first slice).
 */
function fillMarkers(text: string, placed: StreamedEdges[], all: StreamedEdges[]) {
  const found = placed
    .map((stream) => {
      const quoted = JSON.stringify(marker(all.indexOf(stream)));
      const at = text.indexOf(quoted);
      const executedBefore = text[at - 1] === ',';
      return { stream, start: executedBefore ? at - 1 : at, end: at + quoted.length, executedBefore };
    })
    .sort((a, b) => a.start - b.start);
  const parts = [''];
  const pending: PendingEdges[] = [];
  let from = 0;
  for (const { stream, start, end, executedBefore } of found) {
    const written = stream.written?.text ?? '';
    parts[parts.length - 1] += text.slice(from, start) + (executedBefore && written ? ',' : '') + written;
    if (hasSlices(stream)) {
      pending.push({ ...stream, afterEdges: executedBefore || written !== '' });
      parts.push('');
    }
    from = end;
  }
  parts[parts.length - 1] += text.slice(from);
  const [head = '', ...texts] = parts;
  return { text: head, streams: pending, texts };
}
