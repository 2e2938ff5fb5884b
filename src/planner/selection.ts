import {
  type DirectiveNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  isAbstractType,
  Kind,
  type NamedTypeNode,
  type SelectionSetNode,
} from 'graphql';

/** What collecting fields needs from a resolver's `info`. */
export interface SelectionContext {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variableValues: Record<string, unknown>;
}

/** The field nodes of one response key, in the order the response writes the keys. */
export type CollectedFields = Map<string, FieldNode[]>;

interface Occurrences {
  included: FieldNode[];
  count: number;
  conditional: boolean;
}

/**
 * Whether `@skip`/`@include` keep a selection: undefined when it has neither, null when an
 * `if` is not a boolean here (left to the executor, which reports or coerces it).
 */
function condition(directives: readonly DirectiveNode[] | undefined, variables: Record<string, unknown>) {
  let kept: boolean | undefined;
  for (const directive of directives ?? []) {
    const name = directive.name.value;
    if (name !== 'skip' && name !== 'include') continue;
    const argument = directive.arguments?.find((candidate) => candidate.name.value === 'if')?.value;
    const value =
      argument?.kind === Kind.BOOLEAN
        ? argument.value
        : argument?.kind === Kind.VARIABLE
          ? variables[argument.name.value]
          : undefined;
    if (typeof value !== 'boolean') return null;
    kept = (kept ?? true) && (name === 'skip' ? !value : value);
  }
  return kept;
}

function appliesTo(context: SelectionContext, typeCondition: NamedTypeNode | undefined, type: GraphQLObjectType) {
  if (!typeCondition) return true;
  const conditionType = context.schema.getType(typeCondition.name.value);
  if (conditionType === type) return true;
  return conditionType !== undefined && isAbstractType(conditionType) && context.schema.isSubType(conditionType, type);
}

/**
 * The fields that `selectionSets` select on `type`, merged by response key in first-seen
 * order, as graphql-js collects them (fragments whose type applies, `@skip`/`@include`
 * evaluated). Undefined where graphql-jit, which executes today, could write them otherwise:
 * it keeps a key at its first occurrence even when that one is skipped, so a response key
 * seen more than once with a condition on any occurrence is left to the executor.
 */
export function collectFields(
  context: SelectionContext,
  type: GraphQLObjectType,
  selectionSets: readonly SelectionSetNode[],
): CollectedFields | undefined {
  const byKey = new Map<string, Occurrences>();
  const visitedFragments = new Set<string>();

  function visit(selectionSet: SelectionSetNode, conditional: boolean, included: boolean): boolean {
    for (const selection of selectionSet.selections) {
      const kept = condition(selection.directives, context.variableValues);
      if (kept === null) return false;
      const isConditional = conditional || kept !== undefined;
      const isIncluded = included && kept !== false;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        let occurrences = byKey.get(key);
        if (!occurrences) {
          occurrences = { included: [], count: 0, conditional: false };
          byKey.set(key, occurrences);
        }
        occurrences.count++;
        occurrences.conditional ||= isConditional;
        if (isIncluded) occurrences.included.push(selection);
        continue;
      }
      let fragmentSelections: SelectionSetNode | undefined;
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (appliesTo(context, selection.typeCondition, type)) fragmentSelections = selection.selectionSet;
      } else if (!visitedFragments.has(selection.name.value)) {
        // Excluded spreads are walked too: graphql-jit collects their fields (as skipped ones).
        visitedFragments.add(selection.name.value);
        const fragment = context.fragments[selection.name.value];
        if (fragment && appliesTo(context, fragment.typeCondition, type)) fragmentSelections = fragment.selectionSet;
      }
      if (fragmentSelections && !visit(fragmentSelections, isConditional, isIncluded)) return false;
    }
    return true;
  }

  for (const selectionSet of selectionSets) {
    if (!visit(selectionSet, false, true)) return undefined;
  }
  const fields: CollectedFields = new Map();
  for (const [key, occurrences] of byKey) {
    if (occurrences.count > 1 && occurrences.conditional) return undefined;
    if (occurrences.included.length > 0) fields.set(key, occurrences.included);
  }
  return fields;
}

/** The selection sets of merged field nodes, for collecting their subfields. */
export const subSelections = (nodes: readonly FieldNode[]) =>
  nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
