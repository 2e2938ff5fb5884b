import { randomBytes } from 'node:crypto';
import { type DocumentNode, type ExecutionResult, type GraphQLError, type GraphQLSchema, parse } from 'graphql';
import { createLRUCache, maskError, processRegularResult } from 'graphql-yoga';
import type { Context } from '../schema/context.js';
import type { Slicing, StreamedEdges } from '../schema/slicing.js';
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
  logUnexpectedErrors(executed.errors, parseCached(operation.query), operation.operationName);
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
 * for the status code. With `task.sliceSize`, a page larger than a slice holds only its first
 * slice: the text then stops where the rest of its edges go, and `streams` say how to make them.
 */
export async function runOperation(
  schema: GraphQLSchema,
  task: OperationTask,
  contextValue: Context,
  execute: CompiledExecutor = executeCompiled,
): Promise<OperationOutcome> {
  const run = (slicing?: Slicing) => executeOperation(schema, task, { ...contextValue, slicing }, execute);
  const slicing: Slicing | undefined = task.sliceSize
    ? { mode: 'frame', sliceSize: task.sliceSize, streams: [] }
    : undefined;
  let result = await run(slicing);
  let streams = slicing?.mode === 'frame' ? slicing.streams : [];
  // An error in a sliced page would repeat in every slice: the whole page gives the exact answer.
  if (streams.some((stream) => result.errors?.some((error) => error.path?.[0] === stream.rootKey))) {
    result = await run();
    streams = [];
  }
  const placed = streams.filter((stream, index) => placeMarker(result, stream, index));
  const objects = countReturnedObjects(objectsPlanOf(schema, task), result.data);
  // A response sent in slices learns its actual cost with its last slice, which writes it.
  if (task.cost) result = withCostExtension(result, task.cost, placed.length > 0 ? 'pending' : objects);
  const text = serialise(result);
  const summary = summarise(result);
  if (placed.length === 0) return { summary, text, streams: [], texts: [], objects };
  return { summary, ...splitAtMarkers(text, placed, streams), objects };
}

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

/** Puts the marker of a stream after the edges of its first slice; false when the list is gone (nulled by an error). */
function placeMarker(result: ExecutionResult, stream: StreamedEdges, index: number): boolean {
  const connection = result.data?.[stream.rootKey] as Record<string, unknown> | null | undefined;
  const edges = connection?.[stream.edgesKey];
  if (!Array.isArray(edges)) return false;
  edges.push(marker(index));
  return true;
}

/** Cuts the text at the markers: `[...edges,<marker>]` becomes the text up to the edges and the text after. */
function splitAtMarkers(text: string, placed: StreamedEdges[], all: StreamedEdges[]) {
  const found = placed
    .map((stream) => {
      const quoted = JSON.stringify(marker(all.indexOf(stream)));
      const at = text.indexOf(quoted);
      const afterEdges = text[at - 1] === ',';
      return { stream, start: afterEdges ? at - 1 : at, end: at + quoted.length, afterEdges };
    })
    .sort((a, b) => a.start - b.start);
  const texts = found.map((mark, index) => text.slice(mark.end, found[index + 1]?.start ?? text.length));
  return {
    text: text.slice(0, found[0]?.start),
    streams: found.map(({ stream, afterEdges }) => ({ ...stream, afterEdges })),
    texts,
  };
}
