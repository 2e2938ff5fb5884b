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

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Connection<Row> {
  edges: Edge<Row>[];
  pageInfo: PageInfo;
}

/**
 * The cursor on the far side of the paging direction (`after` when paging forward), and the
 * side of it where rows would make the other page flag true; none when the client passed none.
 * Its probe runs beside the page query, not after it.
 */
export function farCursor<Key>(request: KeysetPage<Key>): { key: Key; side: 'before' | 'after' } | undefined {
  const key = request.fromEnd ? request.before : request.after;
  return key === undefined ? undefined : { key, side: request.fromEnd ? 'after' : 'before' };
}

/** What a page's flags and end cursors are made of: its first and last keys, and what lies beyond it. */
export interface PageBounds<Key> {
  first: Key | undefined;
  last: Key | undefined;
  /** Rows lie beyond the page in the paging direction (the extra row was read). */
  hasMore: boolean;
  /** Rows lie beyond the far cursor (see `farCursor`). */
  rowsBeyondFarCursor: boolean;
}

/** The flag in the paging direction comes from the extra row; the other one from the far cursor's probe. */
export function toPageInfo<Row, Key>(
  request: KeysetPage<Key>,
  kind: CursorKind<Row, Key>,
  page: PageBounds<Key>,
): PageInfo {
  return {
    hasNextPage: request.fromEnd ? page.rowsBeyondFarCursor : page.hasMore,
    hasPreviousPage: request.fromEnd ? page.hasMore : page.rowsBeyondFarCursor,
    startCursor: page.first === undefined ? null : encodeCursor(kind, page.first),
    endCursor: page.last === undefined ? null : encodeCursor(kind, page.last),
  };
}

/** Builds the connection for one page of rows. */
export function toConnection<Row, Key>(
  page: PageRows<Row>,
  request: KeysetPage<Key>,
  kind: CursorKind<Row, Key>,
  rowsBeyondFarCursor: boolean,
): Connection<Row> {
  const edges = toEdges(page.rows, kind);
  const first = page.rows[0];
  const last = page.rows.at(-1);
  return {
    edges,
    pageInfo: toPageInfo(request, kind, {
      first: first && kind.keyOf(first),
      last: last && kind.keyOf(last),
      hasMore: page.hasMore,
      rowsBeyondFarCursor,
    }),
  };
}

export const toEdges = <Row, Key>(rows: readonly Row[], kind: CursorKind<Row, Key>): Edge<Row>[] =>
  rows.map((row) => ({ cursor: encodeCursor(kind, kind.keyOf(row)), node: row }));
