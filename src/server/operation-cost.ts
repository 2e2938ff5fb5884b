import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  getNamedType,
  isCompositeType,
  isListType,
  isNonNullType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/** Estimates an operation's work before it runs; validated operations only. */
export type CostEstimator = (
  document: DocumentNode,
  variables: Record<string, unknown> | null | undefined,
  operationName: string | null | undefined,
) => number;

/**
 * The most fields an operation can return: every field counts once per parent object,
 * and a connection's page size (`first`/`last`, else `defaultPageSize`) multiplies what
 * lies below it, as does the length of a list argument (`nodes(ids)`). Nested pages multiply:
 * `clients(first: 20)` with 20 accounts each is 400 accounts. Cheap to compute (one walk of
 * the document), and an upper bound: a page may hold fewer rows than asked.
 */
export function createCostEstimator(schema: GraphQLSchema, defaultPageSize: number): CostEstimator {
  return (document, variables, operationName) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    let operation: OperationDefinitionNode | undefined;
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
      else if (
        definition.kind === Kind.OPERATION_DEFINITION &&
        (!operationName || definition.name?.value === operationName)
      )
        operation ??= definition;
    }
    const root = operation && schema.getRootType(operation.operation);
    if (!operation || !root) return 0;

    const argumentValue = (node: ValueNode): unknown =>
      node.kind === Kind.VARIABLE
        ? variables?.[node.name.value]
        : node.kind === Kind.LIST
          ? node.values
          : 'value' in node
            ? node.value
            : undefined;

    const sizeOf = (field: FieldNode, type: GraphQLCompositeType): number => {
      let pageSize: number | undefined;
      let listSize = 1;
      for (const argument of field.arguments ?? []) {
        const value = argumentValue(argument.value);
        if (argument.name.value === 'first' || argument.name.value === 'last') {
          if (value != null && Number.isFinite(Number(value))) pageSize = Math.max(pageSize ?? 0, Number(value));
        } else if (Array.isArray(value)) listSize = Math.max(listSize, value.length);
      }
      return pageSize ?? (type.name.endsWith('Connection') ? defaultPageSize : listSize);
    };

    const cost = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, multiplier: number): number => {
      let total = 0;
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          total += multiplier;
          const fields = 'getFields' in parent ? parent.getFields() : {};
          const definition = fields[selection.name.value];
          const type = definition && getNamedType(definition.type);
          if (selection.selectionSet && type && isCompositeType(type)) {
            const listed = isListType(isNonNullType(definition.type) ? definition.type.ofType : definition.type);
            const size = type.name.endsWith('Connection') || listed ? sizeOf(selection, type) : 1;
            total += cost(selection.selectionSet, type, multiplier * size);
          }
        } else {
          const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
          if (!fragment) continue;
          const condition = fragment.typeCondition && schema.getType(fragment.typeCondition.name.value);
          const type = condition && isCompositeType(condition) ? condition : parent;
          total += cost(fragment.selectionSet, type, multiplier);
        }
      }
      return total;
    };
    return cost(operation.selectionSet, root, 1);
  };
}
