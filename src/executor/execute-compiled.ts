import { buildExecutionContext, normalizedExecutor } from '@graphql-tools/executor';
import {
  type DocumentNode,
  type ExecutionResult,
  GraphQLError,
  type GraphQLSchema,
  type SourceLocation,
} from 'graphql';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';
import { createLRUCache } from 'graphql-yoga';

/** One operation to execute; `query` is the document's source text, the cache key. */
export interface ExecuteArgs {
  schema: GraphQLSchema;
  document: DocumentNode;
  query: string;
  contextValue: object;
  variableValues?: Record<string, unknown>;
  operationName?: string;
}

export interface CompiledExecutorOptions {
  /** Compiled operations kept per worker (least recently used go first). Default 1000. */
  maxCompiled?: number;
  /** Told whether graphql-jit compiled each new operation (false: graphql-js runs it). */
  onCompile?: (compiled: boolean) => void;
}

export type CompiledExecutor = (args: ExecuteArgs) => Promise<ExecutionResult>;

/**
 * Executes queries with graphql-jit, compiled once per document and operation name, and
 * everything else (operations it cannot compile, mutations, invalid operation names or
 * variables) with the executor yoga uses. Errors raised before execution always come from
 * yoga's executor, so their messages and HTTP statuses stay exactly yoga's.
 */
export function createCompiledExecutor(options: CompiledExecutorOptions = {}): CompiledExecutor {
  // A null query remembers a document graphql-jit could not compile, so it is not retried.
  const compiled = createLRUCache<{ query: CompiledQuery | null }>({ max: options.maxCompiled ?? 1000 });

  function compiledFor(args: ExecuteArgs): CompiledQuery | null {
    const key = `${args.operationName ?? ''}\n${args.query}`;
    let found = compiled.get(key);
    if (!found) {
      const result = compileQuery(args.schema, args.document, args.operationName);
      found = { query: isCompiledQuery(result) ? result : null };
      options.onCompile?.(found.query !== null);
      compiled.set(key, found);
    }
    return found.query;
  }

  return async function execute(args: ExecuteArgs): Promise<ExecutionResult> {
    const checked = buildExecutionContext({
      schema: args.schema,
      document: args.document,
      variableValues: args.variableValues,
      operationName: args.operationName,
    });
    const query = 'operation' in checked && checked.operation.operation === 'query' ? compiledFor(args) : null;
    if (!query) return (await normalizedExecutor(args)) as ExecutionResult;
    const { data, errors } = await query.query(undefined, args.contextValue, args.variableValues ?? {});
    // The key order of graphql-js's responses, so the bytes are the same.
    return errors?.length ? { errors: errors.map((error) => asGraphQLJsError(error, args.document)), data } : { data };
  };
}

/**
 * graphql-jit's errors carry `locations` but no source positions, and yoga rebuilds errors
 * from positions (dropping the locations): rebuild them as graphql-js would have made them.
 */
function asGraphQLJsError(error: GraphQLError, document: DocumentNode): GraphQLError {
  const source = document.loc?.source;
  return new GraphQLError(error.message, {
    source,
    positions: source && error.locations?.map((location) => positionOf(source.body, location)),
    path: error.path,
    originalError:
      error.originalError ?? (error.message.startsWith(nullViolation) ? new Error(error.message) : undefined),
  });
}

// graphql-js raises this one as a plain Error, so yoga masks it; graphql-jit as a GraphQLError.
const nullViolation = 'Cannot return null for non-nullable field ';

const lineBreak = /\r\n|[\n\r]/g;

/** The offset of a line and column in a text, the inverse of graphql-js's getLocation. */
function positionOf(body: string, { line, column }: SourceLocation): number {
  let lineStart = 0;
  let current = 1;
  for (const match of body.matchAll(lineBreak)) {
    if (current === line) break;
    lineStart = match.index + match[0].length;
    current++;
  }
  return lineStart + column - 1;
}
