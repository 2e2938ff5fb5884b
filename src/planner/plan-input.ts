import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  getOperationAST,
  getVariableValues,
  Kind,
} from 'graphql';
import type { PlanInput } from './plan.js';

/**
 * What the `clients` resolver's `info` would hold for the root field `responseKey`, built from
 * a document outside execution (benchmarks, tools); undefined when the operation, its variables
 * or the field are not there. The worker passes the resolver's own `info` instead.
 */
export function planInputOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  inputs: Record<string, unknown> = {},
  responseKey = 'clients',
  operationName?: string,
): PlanInput | undefined {
  const operation = getOperationAST(document, operationName);
  if (!operation) return undefined;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], inputs);
  if (coerced.errors) return undefined;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  // Root fields written directly in the operation: enough for the documents these callers make.
  const fieldNodes = operation.selectionSet.selections.filter(
    (selection): selection is FieldNode =>
      selection.kind === Kind.FIELD &&
      selection.name.value === 'clients' &&
      (selection.alias?.value ?? selection.name.value) === responseKey,
  );
  if (fieldNodes.length === 0) return undefined;
  return { schema, operation, fragments, fieldNodes, variableValues: coerced.coerced };
}
