import { type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode, visit } from 'graphql';

const collectsAlike = new WeakMap<OperationDefinitionNode, boolean>();

/**
 * Whether graphql-jit collects this operation's fields as graphql-js does. It does not when
 * `@skip`/`@include` meet a fragment spread in more than one place: graphql-jit records the
 * conditions on the fragment's shared AST nodes (so one spread's condition leaks into the
 * other) and marks a spread visited before looking at its directives. Cached per operation.
 */
export function collectsLikeGraphqlJs(
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
): boolean {
  let alike = collectsAlike.get(operation);
  if (alike === undefined) {
    let conditional = false;
    const spreads = new Map<string, number>();
    for (const node of [operation, ...Object.values(fragments)]) {
      visit(node, {
        Directive: (directive) => {
          if (directive.name.value === 'skip' || directive.name.value === 'include') conditional = true;
        },
        FragmentSpread: (spread) => {
          spreads.set(spread.name.value, (spreads.get(spread.name.value) ?? 0) + 1);
        },
      });
    }
    alike = !conditional || [...spreads.values()].every((count) => count === 1);
    collectsAlike.set(operation, alike);
  }
  return alike;
}

/** The names of the variables a selection refers to, through its fragments: what a plan of it may depend on. */
export function variablesIn(
  selectionSets: readonly SelectionSetNode[],
  fragments: Record<string, FragmentDefinitionNode>,
): string[] {
  const names = new Set<string>();
  const seenFragments = new Set<string>();
  const walk = (node: SelectionSetNode | FragmentDefinitionNode) =>
    visit(node, {
      Variable: (variable) => {
        names.add(variable.name.value);
      },
      FragmentSpread: (spread) => {
        const fragment = fragments[spread.name.value];
        if (fragment && !seenFragments.has(spread.name.value)) {
          seenFragments.add(spread.name.value);
          walk(fragment);
        }
      },
    });
  for (const selectionSet of selectionSets) walk(selectionSet);
  return [...names].sort();
}
