import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
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
import { queryRefused } from '../errors.js';
import type { PageSizes } from '../schema/context.js';

export interface CostLimitOptions {
  /** The most objects one operation may ask for (`MAX_COST`). */
  maxCost: number;
  pageSizes: PageSizes;
}

// Each operation's cost, by its yoga context: computed once here, read again to pick a lane.
const costs = new WeakMap<object, number>();

/** The cost `useCostLimit` computed for the operation of this context, if it ran. */
export const costOf = (contextValue: object): number | undefined => costs.get(contextValue);

/**
 * Refuses, on the main thread and before anything runs in a worker, an operation that may
 * return more objects than `maxCost`. Runs at execution time rather than as a validation rule
 * because page sizes often come in variables, and validation results are cached per document.
 */
export function useCostLimit({ maxCost, pageSizes }: CostLimitOptions): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const cost = operationCost(args.schema, args.document, args.operationName, args.variableValues, pageSizes);
      costs.set(args.contextValue, cost);
      if (cost > maxCost) {
        setResultAndStopExecution({
          errors: [
            queryRefused(
              `Query cost ${cost} exceeds the limit of ${maxCost} (MAX_COST). The cost counts every object the query ` +
                'may return, each list at its page size: ask for smaller pages or fewer nested lists.',
            ),
          ],
        });
      }
    },
  };
}

/**
 * The most objects (clients, accounts, addresses: the types that implement Node) an operation
 * can return. A connection multiplies what is selected under it by its page size, `nodes` by
 * the number of ids. Every branch of a fragment or `@include` counts: an upper bound.
 * Returns 0 when the variables do not coerce (useVariablesCheck refuses those first).
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  pageSizes: PageSizes,
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
  // A fragment costs the same wherever it is spread: computing it once keeps a document
  // that spreads fragments within fragments linear to walk, not exponential.
  const fragmentCosts = new Map<string, number>();
  const nodeInterface = schema.getType('Node');

  const isNode = (type: GraphQLCompositeType) =>
    type === nodeInterface || (isObjectType(type) && type.getInterfaces().some((parent) => parent === nodeInterface));

  const listSize = (field: GraphQLField<unknown, unknown>, args: Record<string, unknown>) => {
    if (Array.isArray(args.ids)) return args.ids.length;
    if (!field.args.some((arg) => arg.name === 'first')) return 1;
    const requested = (args.first ?? args.last ?? pageSizes.defaultSize) as number;
    // An invalid size returns no objects: its resolver refuses it, with a clearer message than this one.
    return requested < 0 || requested > pageSizes.maxSize ? 0 : requested;
  };

  const selectionCost = (selectionSet: SelectionSetNode | undefined, parent: GraphQLCompositeType): number => {
    let total = 0;
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[selection.name.value] : null;
        const type = field && getNamedType(field.type);
        if (!field || !type || !isCompositeType(type)) continue;
        const args = getArgumentValues(field, selection, coerced.coerced);
        total += listSize(field, args) * ((isNode(type) ? 1 : 0) + selectionCost(selection.selectionSet, type));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (type && isCompositeType(type)) total += selectionCost(selection.selectionSet, type);
      } else {
        total += fragmentCost(selection.name.value);
      }
    }
    return total;
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
