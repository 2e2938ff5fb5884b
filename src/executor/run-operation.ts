import { type DocumentNode, type GraphQLError, type GraphQLSchema, parse } from 'graphql';
import { createLRUCache, maskError, processRegularResult } from 'graphql-yoga';
import type { Context } from '../schema/context.js';
import { type CompiledExecutor, createCompiledExecutor } from './execute-compiled.js';
import type { OperationTask, ResultSummary } from './protocol.js';

const isDev = process.env.NODE_ENV === 'development';
const documents = createLRUCache<DocumentNode>({ max: 1000 });
const executeCompiled = createCompiledExecutor();

/** Captures what yoga's result processor would send, instead of building a real Response. */
class CapturedResponse {
  constructor(readonly body: string) {}
}
const capture = { Response: CapturedResponse } as unknown as Parameters<typeof processRegularResult>[1];

function parseCached(query: string): DocumentNode {
  let document = documents.get(query);
  if (!document) {
    document = parse(query);
    documents.set(query, document);
  }
  return document;
}

/**
 * Executes one operation as yoga would on the main thread (same executor, same error
 * masking, same serialiser), and returns the body with a summary for the status code.
 */
export async function runOperation(
  schema: GraphQLSchema,
  task: OperationTask,
  contextValue: Context,
  execute: CompiledExecutor = executeCompiled,
): Promise<{ summary: ResultSummary; body: string }> {
  const executed = await execute({
    schema,
    document: parseCached(task.query),
    query: task.query,
    contextValue,
    variableValues: task.variables ?? undefined,
    operationName: task.operationName ?? undefined,
  });
  const result = executed.errors
    ? {
        ...executed,
        errors: executed.errors.map((error) => maskError(error, 'Unexpected error.', isDev) as GraphQLError),
      }
    : executed;
  const response = processRegularResult(result, capture, 'application/json') as unknown as CapturedResponse;
  const extensions = new Map<string, Record<string, unknown>>();
  for (const error of result.errors ?? [])
    extensions.set(JSON.stringify(error.extensions ?? {}), error.extensions ?? {});
  return { summary: { hasData: 'data' in result, errorExtensions: [...extensions.values()] }, body: response.body };
}
