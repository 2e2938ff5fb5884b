import type { FieldNode, OperationDefinitionNode } from 'graphql';
import type { DataSource } from '../data/data-source.js';
import type { EdgesWriter, PageSizes } from '../schema/context.js';
import { variablesIn } from './operation-checks.js';
import { type EdgesPlan, type PlanInput, planClientEdges } from './plan.js';
import { readClientEdges } from './read-edges.js';
import { subSelections } from './selection.js';

export type { ClientEdgeText } from './read-edges.js';
export type { EdgesPlan, PlanInput };
export { readClientEdges };

export interface EdgesPlannerOptions {
  /** Plans kept per `clients` field for different values of the variables it uses. Default 20. */
  maxPlansPerField?: number;
}

interface FieldPlans {
  operation: OperationDefinitionNode;
  fieldNodes: readonly FieldNode[];
  /** The variables the selection refers to: only their values can change the plan. */
  variables: string[];
  /** By the JSON of those values; null remembers a selection that cannot be planned. */
  plans: Map<string, EdgesPlan | null>;
}

/**
 * Plans of `clients { edges }` selections, cached per field node (so per parsed document and
 * operation, freed with the document) and per values of the variables the selection uses:
 * the next page of the same query (a new `after`) reuses its plan. See `planClientEdges`.
 */
export function createEdgesPlanner(
  pageSizes: PageSizes,
  options: EdgesPlannerOptions = {},
): (input: PlanInput) => EdgesPlan | undefined {
  const maxPlans = options.maxPlansPerField ?? 20;
  const byField = new WeakMap<FieldNode, FieldPlans>();

  return (input) => {
    const [first] = input.fieldNodes;
    if (!first) return undefined;
    let field = byField.get(first);
    // A node in a fragment can be merged with others, or checked otherwise, in another operation.
    if (!field || field.operation !== input.operation || !sameNodes(field.fieldNodes, input.fieldNodes)) {
      const variables = variablesIn(subSelections(input.fieldNodes), input.fragments);
      field = { operation: input.operation, fieldNodes: input.fieldNodes, variables, plans: new Map() };
      byField.set(first, field);
    }
    const key = JSON.stringify(field.variables.map((name) => input.variableValues[name] ?? null));
    let plan = field.plans.get(key);
    if (plan === undefined) {
      plan = planClientEdges(input, pageSizes) ?? null;
      if (field.plans.size >= maxPlans) field.plans.delete(field.plans.keys().next().value as string);
      field.plans.set(key, plan);
    }
    return plan ?? undefined;
  };
}

const sameNodes = (a: readonly FieldNode[], b: readonly FieldNode[]) =>
  a.length === b.length && a.every((node, index) => node === b[index]);

/**
 * The planner as the schema's resolvers use it (`Context.edgesWriter`): plans cached per field and
 * variables, edges read from `dataSource`.
 */
export function createEdgesWriter(dataSource: DataSource, pageSizes: PageSizes): EdgesWriter {
  const plan = createEdgesPlanner(pageSizes);
  return {
    plan,
    read: (edgesPlan, query) => readClientEdges(dataSource, edgesPlan as EdgesPlan, query),
  };
}
