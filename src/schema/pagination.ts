import type { KeysetPage, PageRows } from '../data/data-source.js';
import { badUserInput } from '../errors.js';
import type { PageSizes } from './context.js';
import { type CursorKind, decodeCursor, encodeCursor } from './cursors.js';

/** Relay connection arguments as graphql-js passes them. */
export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

/**
 * Validates the page size and decodes the cursors. Sizes beyond the limit are refused,
 * not clamped, so a client never mistakes a short page for the end of the list.
 */
export function toKeysetPage<Row, Key>(
  args: ConnectionArgs,
  sizes: PageSizes,
  connection: string,
  kind: CursorKind<Row, Key>,
): KeysetPage<Key> {
  if (args.first != null && args.last != null) {
    throw badUserInput(`Pass either \`first\` or \`last\` on \`${connection}\`, not both.`);
  }
  const fromEnd = args.last != null;
  const argument = fromEnd ? 'last' : 'first';
  const limit = (fromEnd ? args.last : args.first) ?? sizes.defaultSize;
  if (limit < 0) {
    throw badUserInput(`\`${argument}\` on \`${connection}\` cannot be negative (got ${limit}).`);
  }
  if (limit > sizes.maxSize) {
    throw badUserInput(
      `Requesting ${limit} records on \`${connection}\` exceeds the \`${argument}\` limit of ${sizes.maxSize} records.`,
    );
  }
  return {
    limit,
    fromEnd,
    after: args.after == null ? undefined : decodeCursor(kind, args.after, 'after'),
    before: args.before == null ? undefined : decodeCursor(kind, args.before, 'before'),
  };
}

export interface Edge<Row> {
  cursor: string;
  node: Row;
}

export interface Connection<Row> {
  edges: Edge<Row>[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/**
 * Builds the connection for one page. The flag in the paging direction comes from the extra
 * row; the other one asks whether rows exist beyond the cursor the client passed (one
 * indexed probe, only when there is such a cursor).
 */
export async function toConnection<Row, Key>(
  page: PageRows<Row>,
  request: KeysetPage<Key>,
  kind: CursorKind<Row, Key>,
  rowsBeyondCursor: (key: Key, side: 'before' | 'after') => Promise<boolean>,
): Promise<Connection<Row>> {
  const edges = page.rows.map((row) => ({ cursor: encodeCursor(kind, kind.keyOf(row)), node: row }));
  const farCursor = request.fromEnd ? request.before : request.after;
  const farSide = farCursor !== undefined && (await rowsBeyondCursor(farCursor, request.fromEnd ? 'after' : 'before'));
  return {
    edges,
    pageInfo: {
      hasNextPage: request.fromEnd ? farSide : page.hasMore,
      hasPreviousPage: request.fromEnd ? page.hasMore : farSide,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
