import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  GraphQLError,
  type GraphQLField,
  type GraphQLSchema,
  getArgumentValues,
  getNamedType,
  getOperationAST,
  getVariableValues,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { errorCodes, queryRefused } from '../errors.js';
import { isNodeType } from '../executor/returned-objects.js';
import { toClientFilter } from '../schema/client-filter.js';
import type { PageSizes } from '../schema/context.js';
import { inSpan } from '../telemetry/tracing.js';
import { markRejected, noteRequestedCost, recordOf } from './request-record.js';

export interface CostLimitOptions extends CostModel {
  /** The most an operation may cost (`MAX_COST`). */
  maxCost: number;
}

/** What the cost of an operation depends on besides its text and variables. */
export interface CostModel {
  pageSizes: PageSizes;
  /** How many clients the database holds: what a filter, or `totalCount` under one, may read. */
  clientRows: () => number;
}

/**
 * Rows a filter may test for one point of cost (one returned object). Testing a row is far
 * cheaper than returning an object: `npm run bench:filter-cost` measures the ratio, 45 to 167 on
 * the shared 2-core machine this was written on; the smallest one seen is the bound, so a scan
 * is never priced below what it takes.
 */
export const rowsPerPoint = 40;

/**
 * Rows an unfiltered `totalCount` may count for one point: the database counts them without
 * testing anything (PostgreSQL reads them, about 300 per returned object's time in
 * `npm run bench:filter-cost`; SQLite counts its b-tree almost for free).
 */
export const countedRowsPerPoint = 200;

// Each operation's cost, by its yoga context: computed once here, read again to pick a lane.
const costs = new WeakMap<object, number>();

/** The cost `useCostLimit` computed for the operation of this context, if it ran. */
export const costOf = (contextValue: object): number | undefined => costs.get(contextValue);

/**
 * Refuses, on the main thread and before anything runs in a worker, an operation that may
 * cost more than `maxCost`. Runs at execution time rather than as a validation rule because
 * page sizes often come in variables, and validation results are cached per document.
 */
export function useCostLimit({ maxCost, ...model }: CostLimitOptions): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      let cost: number;
      try {
        cost = inSpan('graphql.cost', recordOf(args.contextValue)?.span, () =>
          operationCost(args.schema, args.document, args.operationName, args.variableValues, model),
        );
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        setResultAndStopExecution({ errors: [error] });
        return;
      }
      costs.set(args.contextValue, cost);
      if (cost <= maxCost) noteRequestedCost(args.contextValue, cost);
      else {
        markRejected(args.contextValue, 'COST_LIMIT');
        setResultAndStopExecution({
          errors: [
            queryRefused(
              `Query cost ${cost} exceeds the limit of ${maxCost} (MAX_COST). The cost counts every object the query ` +
                'may return, each list at its page size, and what its filters may read: ask for smaller pages or ' +
                'fewer nested lists.',
            ),
          ],
        });
      }
    },
  };
}

/**
 * What an operation may cost: the most objects (clients, accounts, addresses: the types that
 * implement Node) it can return, plus what its filters and counts may read. A connection
 * multiplies what is selected under it by its page size, `nodes` by the number of ids. A filtered
 * `clients` may test every client (indexes back the orderings, not the filters; `databaseId: { in }`
 * reads at most its ids), one point per `rowsPerPoint`, and a `totalCount` counts every row, one
 * point per `countedRowsPerPoint` (`rowsPerPoint` under a filter). Every
 * branch of a fragment or `@include` counts: an upper bound. Returns 0 when the variables do not
 * coerce (useVariablesCheck refuses those first); throws a `BAD_USER_INPUT` error for an
 * argument that cannot have its value (an explicit null variable for a non-null argument).
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  { pageSizes, clientRows }: CostModel,
): number {
  const operation = getOperationAST(document, operationName);
  const rootType = operation && schema.getRootType(operation.operation);
  if (!operation || !rootType) return 0;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
  if (coerced.errors) return 0;

  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  // A fragment costs the same wherever it is spread: computing it once keeps a document that
  // spreads fragments within fragments linear to walk.
  const fragmentCosts = new Map<string, number>();

  const listSize = (field: GraphQLField<unknown, unknown>, args: Record<string, unknown>) => {
    if (Array.isArray(args.ids)) return args.ids.length;
    if (!field.args.some((arg) => arg.name === 'first')) return 1;
    const requested = (args.first ?? args.last ?? pageSizes.defaultSize) as number;
    // An invalid size returns no objects: its resolver refuses it, with a clearer message than this one.
    return requested < 0 || requested > pageSizes.maxSize ? 0 : requested;
  };

  /**
   * What `clients` reads besides the objects it returns: under a filter, the page tests rows
   * for matches (every client, or at most the ids it names) and so does each `totalCount`; an
   * unfiltered `totalCount` counts every client. Counts once per response key, as executed.
   */
  const readCost = (field: GraphQLField<unknown, unknown>, args: Record<string, unknown>, node: FieldNode) => {
    if (!field.args.some((arg) => arg.name === 'filter')) return 0;
    const filter = toClientFilter(args.filter as Parameters<typeof toClientFilter>[0]);
    const counts = totalCountKeys(node.selectionSet);
    if (!filter.databaseIds && !filter.strings) return counts * Math.ceil(clientRows() / countedRowsPerPoint);
    const tested = Math.ceil(
      Math.min(filter.databaseIds?.length ?? Number.POSITIVE_INFINITY, clientRows()) / rowsPerPoint,
    );
    return (1 + counts) * tested;
  };

  const selectionCost = (selectionSet: SelectionSetNode | undefined, parent: GraphQLCompositeType): number => {
    let total = 0;
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[selection.name.value] : null;
        const type = field && getNamedType(field.type);
        if (!field || !type || !isCompositeType(type)) continue;
        const args = argumentValues(field, selection);
        const objects = (isNodeType(schema, type) ? 1 : 0) + selectionCost(selection.selectionSet, type);
        total += readCost(field, args, selection) + listSize(field, args) * objects;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (type && isCompositeType(type)) total += selectionCost(selection.selectionSet, type);
      } else {
        total += fragmentCost(selection.name.value);
      }
    }
    return total;
  };

  /** The response keys of `totalCount` directly in a connection's selection, fragments included. */
  const totalCountKeys = (selectionSet: SelectionSetNode | undefined): number => {
    const keys = new Set<string>();
    const seen = new Set<string>();
    const collect = (set: SelectionSetNode | undefined) => {
      for (const selection of set?.selections ?? []) {
        if (selection.kind === Kind.FIELD) {
          if (selection.name.value === 'totalCount') keys.add(selection.alias?.value ?? 'totalCount');
        } else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
        else if (!seen.has(selection.name.value)) {
          seen.add(selection.name.value);
          collect(fragments.get(selection.name.value)?.selectionSet);
        }
      }
    };
    collect(selectionSet);
    return keys.size;
  };

  const argumentValues = (field: GraphQLField<unknown, unknown>, node: FieldNode) => {
    try {
      return getArgumentValues(field, node, coerced.coerced);
    } catch (error) {
      // graphql-js throws while coercing, e.g. `{"ids": null}` for `nodes(ids: $ids)`: the
      // operation cannot run as sent, which is the caller's to fix.
      throw new GraphQLError(error instanceof Error ? error.message : String(error), {
        nodes: node,
        extensions: { code: errorCodes.BAD_USER_INPUT, http: { status: 400 } },
      });
    }
  };

  const fragmentCost = (name: string): number => {
    const known = fragmentCosts.get(name);
    if (known !== undefined) return known;
    fragmentCosts.set(name, 0); // validation refuses cycles; this only guards the walk
    const fragment = fragments.get(name);
    const type = fragment && schema.getType(fragment.typeCondition.name.value);
    const cost = fragment && type && isCompositeType(type) ? selectionCost(fragment.selectionSet, type) : 0;
    fragmentCosts.set(name, cost);
    return cost;
  };

  return selectionCost(operation.selectionSet, rootType);
}
