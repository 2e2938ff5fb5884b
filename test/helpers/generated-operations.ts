import fc from 'fast-check';
import { type ClientOrder, clientOrders } from '../../src/data/data-source.js';
import { accountStrings, addressStrings, clientStrings } from '../../src/data/tables.js';

/** The filters generated operations use (by index): none, a rare prefix, non-null str1, a list of ids. */
export const generatedFilters = [
  '',
  'filter: { str2: { startsWith: "A" } }',
  'filter: { str1: { isNull: false } }',
  `filter: { databaseId: { in: [${Array.from({ length: 40 }, (_, i) => 3 * i + 1).join(', ')}] } }`,
];

/** Cursors of every row, per ordering and filter index: what generated operations page from. */
export type CursorPool = Record<ClientOrder, string[][]>;

/** A generated operation: its text, and its variables. */
export interface GeneratedOperation {
  query: string;
  variables: Record<string, unknown>;
}

const fields = (names: readonly string[]) =>
  fc
    .subarray([...names], { minLength: 1 })
    .chain((picked) => fc.shuffledSubarray(picked, { minLength: picked.length }));

const addressSelection = fields(['id', 'databaseId', '__typename', ...addressStrings]).map(
  (picked) => `{ ${picked.join(' ')} }`,
);

const pageInfo = fields(['hasNextPage', 'hasPreviousPage', 'startCursor', 'endCursor']).map(
  (picked) => `pageInfo { ${picked.join(' ')} }`,
);

const accountNode = fc
  .tuple(fields(['id', 'databaseId', ...accountStrings]), fc.option(addressSelection, { nil: undefined }))
  .map(([picked, address]) => `{ ${picked.join(' ')}${address ? ` address ${address}` : ''} }`);

// 101 is over the test servers' MAX_PAGE_SIZE of 100 for bankAccounts: an error in every client.
const bankAccounts = fc
  .tuple(
    fc.constantFrom('first', 'last'),
    fc.option(fc.constantFrom(0, 1, 2, 3, 3, 3, 101), { nil: undefined }),
    fc.boolean(),
    fc.option(pageInfo, { nil: undefined }),
    accountNode,
  )
  .map(([direction, size, withCursor, info, node]) => {
    const args = size === undefined ? '' : `(${direction}: ${size})`;
    return `bankAccounts${args} { edges { ${withCursor ? 'cursor ' : ''}node ${node} } ${info ?? ''} }`;
  });

const clientNode = fc
  .tuple(
    fields(['id', 'databaseId', ...clientStrings]),
    fc.option(addressSelection, { nil: undefined }),
    fc.option(bankAccounts, { nil: undefined }),
    fc.boolean(),
    fc.boolean(),
  )
  .map(([picked, address, accounts, onNode, spread]) => ({
    text: `{ ${picked.join(' ')}${address ? ` address ${address}` : ''}${accounts ? ` ${accounts}` : ''}${
      onNode ? ' ... on Node { id }' : ''
    }${spread ? ' ...ClientBits' : ''} }`,
    spread,
  }));

const edges = fc
  .tuple(
    fc.boolean(),
    clientNode,
    // Rare: the planner leaves edges selected twice to the executor.
    fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 6 },
      { arbitrary: fc.constantFrom('e2: edges { cursor }', 'e2: edges { node { id } }'), weight: 1 },
    ),
  )
  .map(([cursor, node, second]) => ({
    parts: [`edges { ${cursor ? 'cursor ' : ''}node ${node.text} }`, ...(second ? [second] : [])],
    spread: node.spread,
  }));

/** A `clients` field: alias, arguments (sizes around the slice sizes used), and its selection in any order. */
function clientsField(cursors: CursorPool, alias: string) {
  return fc
    .tuple(
      fc.constantFrom(...clientOrders),
      fc.nat({ max: generatedFilters.length - 1 }),
      fc.constantFrom('first', 'last'),
      fc.constantFrom(0, 1, 6, 7, 8, 13, 14, 15, 29, 50, 100),
      fc.option(fc.tuple(fc.constantFrom('after', 'before'), fc.nat()), { nil: undefined }),
      fc.boolean(),
      edges,
      fc.boolean(),
      fc.option(pageInfo, { nil: undefined }),
    )
    .chain(([order, filter, direction, size, cursor, count, edgeParts, typename, info]) => {
      const parts = [...edgeParts.parts, ...(count ? ['totalCount'] : []), ...(typename ? ['__typename'] : [])];
      if (info) parts.push(info);
      return fc.shuffledSubarray(parts, { minLength: parts.length }).map((ordered) => {
        const pool = cursors[order][filter] ?? [];
        const cursorArg = cursor && pool.length > 0 ? `, ${cursor[0]}: "${pool[cursor[1] % pool.length]}"` : '';
        const filterArg = generatedFilters[filter] ? `, ${generatedFilters[filter]}` : '';
        return {
          text: `${alias}: clients(${direction}: $size, orderBy: ${order}${filterArg}${cursorArg}) { ${ordered.join(' ')} }`,
          size,
          spread: edgeParts.spread,
        };
      });
    });
}

const nodeField = fc.constantFrom(
  'n: node(id: "Q2xpZW50OjU=") { id ... on Client { str1 address { id } } }',
  'ns: nodes(ids: ["QWNjb3VudDox", "Q2xpZW50OjI="]) { id __typename }',
  'bad: node(id: "nonsense") { id }',
);

/** Operations over `clients` in every shape the slicing must keep byte for byte. */
export function generatedOperations(cursors: CursorPool): fc.Arbitrary<GeneratedOperation> {
  return fc
    .tuple(
      clientsField(cursors, 'a'),
      fc.option(clientsField(cursors, 'b'), { nil: undefined }),
      fc.option(nodeField, { nil: undefined }),
    )
    .map(([first, second, node]) => {
      const roots = [first.text, ...(second ? [second.text.replace('$size', '$other')] : []), ...(node ? [node] : [])];
      const spread = first.spread || second?.spread;
      const variables = second ? '($size: Int, $other: Int)' : '($size: Int)';
      const fragment = spread ? ' fragment ClientBits on Client { databaseId str3 __typename }' : '';
      return {
        query: `query Generated${variables} { ${roots.join(' ')} }${fragment}`,
        variables: { size: first.size, ...(second && { other: second.size }) },
      };
    });
}
