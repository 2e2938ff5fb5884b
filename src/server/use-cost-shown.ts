import type { DocumentNode, ExecutionResult, GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { withCostExtension } from '../executor/cost-extension.js';
import { countReturnedObjects, planReturnedObjects } from '../executor/returned-objects.js';
import { costFiguresOf, startCostFigures } from './cost-figures.js';

export interface CostShownOptions {
  /** `MAX_COST`. */
  maxCost: number;
}

interface Execution {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
}

/**
 * Puts `extensions.cost` into every result the main thread serialises: refusals (cost limit,
 * 401, 429, validation and request errors) and operations run inline. A result whose bytes the
 * worker wrote (it has its own `stringify`) already carries it: the worker adds it from the
 * figures the task carries (`costFiguresOf`), and the main thread never parses those bytes.
 */
export function useCostShown({ maxCost }: CostShownOptions): Plugin {
  const executions = new WeakMap<object, Execution>();
  return {
    onRequestParse({ serverContext }) {
      startCostFigures(serverContext, maxCost);
    },
    onExecute({ args }) {
      const { schema, document, operationName } = args;
      executions.set(args.contextValue as object, { schema, document, operationName });
    },
    onResultProcess({ result, setResult, serverContext }) {
      const figures = costFiguresOf(serverContext) ?? {
        requested: null,
        limit: maxCost,
        remaining: null,
        restorePerSecond: null,
      };
      const execution = executions.get(serverContext);
      const withCost = (single: ExecutionResult): ExecutionResult => {
        if (writtenElsewhere(single) || single.extensions?.cost) return single;
        const plan = execution && planReturnedObjects(execution.schema, execution.document, execution.operationName);
        return withCostExtension(single, figures, plan ? countReturnedObjects(plan, single.data) : 0);
      };
      if (Array.isArray(result)) setResult(result.map(withCost));
      else if (!(Symbol.asyncIterator in result)) setResult(withCost(result));
    },
  };
}

/** A result that brings its own serialiser (the worker's bytes): it cannot be changed here. */
const writtenElsewhere = (result: ExecutionResult) =>
  typeof (result as { stringify?: unknown }).stringify === 'function';
