import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  getNamedType,
  getOperationAST,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type SelectionSetNode,
} from 'graphql';

/**
 * Whether objects of this type count towards an operation's cost: the `Node` interface and the
 * object types that implement it (Client, Account, Address). `server/query-cost.ts` counts the same.
 */
export function isNodeType(schema: GraphQLSchema, type: GraphQLCompositeType): boolean {
  const node = schema.getType('Node');
  return type === node || (isObjectType(type) && type.getInterfaces().some((parent) => parent === node));
}

/**
 * Where objects can appear in a result, by response key: every composite field of the
 * operation (fragments merged in), and whether the objects under it count. Leaves are left out.
 */
export interface ObjectsPlan {
  counts: boolean;
  fields: Map<string, ObjectsPlan>;
}

const plans = new WeakMap<DocumentNode, Map<string, ObjectsPlan>>();

/** The plan of one operation of a document, built once per document and operation name. */
export function planReturnedObjects(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName?: string | null,
): ObjectsPlan {
  let byName = plans.get(document);
  if (!byName) {
    byName = new Map();
    plans.set(document, byName);
  }
  const known = byName.get(operationName ?? '');
  if (known) return known;
  const plan: ObjectsPlan = { counts: false, fields: new Map() };
  const operation = getOperationAST(document, operationName);
  const rootType = operation && schema.getRootType(operation.operation);
  if (operation && rootType) {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    mergeSelections({ schema, fragments, merged: new Map() }, operation.selectionSet, rootType, plan);
  }
  byName.set(operationName ?? '', plan);
  return plan;
}

interface Building {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  // The fragments already merged into each plan node: spreading one again adds nothing, and
  // skipping it keeps a document that spreads fragments many times at many levels linear to walk.
  merged: Map<ObjectsPlan, Set<string>>;
}

function mergeSelections(
  building: Building,
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType,
  into: ObjectsPlan,
): void {
  const { schema, fragments, merged } = building;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[selection.name.value] : null;
      const type = field && getNamedType(field.type);
      if (!type || !isCompositeType(type) || !selection.selectionSet) continue;
      const key = selection.alias?.value ?? selection.name.value;
      const child = into.fields.get(key) ?? { counts: false, fields: new Map() };
      into.fields.set(key, child);
      child.counts ||= isNodeType(schema, type);
      mergeSelections(building, selection.selectionSet, type, child);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
      if (type && isCompositeType(type)) mergeSelections(building, selection.selectionSet, type, into);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      const type = fragment && schema.getType(fragment.typeCondition.name.value);
      const done = merged.get(into) ?? new Set<string>();
      merged.set(into, done);
      if (done.has(name) || !fragment || !type || !isCompositeType(type)) continue;
      done.add(name);
      mergeSelections(building, fragment.selectionSet, type, into);
    }
  }
}

/**
 * How many objects of the counted types `value` holds under `plan`: what `extensions.cost.actual`
 * reports. Works on a whole result's `data` with the operation's plan, or on any part of it
 * (a slice of edges) with the plan found under the same response keys.
 */
export function countReturnedObjects(plan: ObjectsPlan, value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  if (Array.isArray(value)) {
    let total = 0;
    for (const item of value) total += countReturnedObjects(plan, item);
    return total;
  }
  let total = plan.counts ? 1 : 0;
  const object = value as Record<string, unknown>;
  for (const [key, child] of plan.fields) total += countReturnedObjects(child, object[key]);
  return total;
}
