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

/** What became of an operation seen again: compiled, not compilable, or left for later (budget spent). */
export interface CompileReport {
  outcome: 'compiled' | 'unsupported' | 'deferred';
  /** Time spent compiling (0 when deferred). */
  ms: number;
}

export interface CompiledExecutorOptions {
  /** Operations remembered per worker, compiled or only seen once (least recently used go first). Default 1000. */
  maxCompiled?: number;
  /** Told of every compilation attempt. */
  onCompile?: (report: CompileReport) => void;
  /** Bounds the time spent compiling; default `createCompileBudget()`. */
  budget?: CompileBudget;
}

export type CompiledExecutor = (args: ExecuteArgs) => Promise<ExecutionResult>;

/** A token bucket of compile milliseconds. */
export interface CompileBudget {
  allows(): boolean;
  spend(ms: number): void;
}

/**
 * At most `perSecondMs` of compiling per second in the long run, in bursts of up to `burstMs`.
 * Measured here: compiling a query of 14 aliased pages with every field took about 100 ms, and
 * saved about as much on each later run; the default keeps a stream of new texts from holding a
 * worker more than a tenth of its time.
 */
export function createCompileBudget(burstMs = 250, perSecondMs = 100, now = () => performance.now()): CompileBudget {
  let tokens = burstMs;
  let last = now();
  const refill = () => {
    const current = now();
    tokens = Math.min(burstMs, tokens + ((current - last) * perSecondMs) / 1000);
    last = current;
  };
  return {
    allows() {
      refill();
      return tokens > 0;
    },
    spend(ms) {
      refill();
      tokens -= ms;
    },
  };
}

/**
 * Executes queries with graphql-jit once they repeat, and everything else with the executor
 * yoga uses: a first sighting of a query text, operations graphql-jit cannot compile, mutations,
 * invalid operation names or variables, and queries seen again while the compile budget is
 * spent (a caller sending ever new texts would otherwise keep a worker compiling). Errors raised
 * before execution always come from yoga's executor, so their messages and HTTP statuses stay
 * exactly yoga's.
 */
export function createCompiledExecutor(options: CompiledExecutorOptions = {}): CompiledExecutor {
  // `seen` marks a text met once; a null query remembers one graphql-jit could not compile.
  const known = createLRUCache<{ seen: true } | { query: CompiledQuery | null }>({ max: options.maxCompiled ?? 1000 });
  const budget = options.budget ?? createCompileBudget();

  function compiledFor(args: ExecuteArgs): CompiledQuery | null {
    const key = `${args.operationName ?? ''}\n${args.query}`;
    const found = known.get(key);
    if (!found) {
      known.set(key, { seen: true });
      return null;
    }
    if ('query' in found) return found.query;
    if (!budget.allows()) {
      options.onCompile?.({ outcome: 'deferred', ms: 0 });
      return null;
    }
    const started = performance.now();
    const result = compileQuery(args.schema, args.document, args.operationName);
    const ms = performance.now() - started;
    budget.spend(ms);
    const query = isCompiledQuery(result) ? result : null;
    options.onCompile?.({ outcome: query ? 'compiled' : 'unsupported', ms });
    known.set(key, { query });
    return query;
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
