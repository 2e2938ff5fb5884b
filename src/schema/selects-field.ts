import { type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';

/**
 * True when the field being resolved selects `name` directly in its selection, fragments
 * included. Directives are not evaluated: a field under `@skip` counts as selected.
 */
export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  const visited = new Set<string>();
  const selects = (selectionSet: SelectionSetNode | undefined): boolean =>
    selectionSet?.selections.some((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === name;
      if (selection.kind === Kind.INLINE_FRAGMENT) return selects(selection.selectionSet);
      const fragment = selection.name.value;
      if (visited.has(fragment)) return false;
      visited.add(fragment);
      return selects(info.fragments[fragment]?.selectionSet);
    }) ?? false;
  return info.fieldNodes.some((node) => selects(node.selectionSet));
}
