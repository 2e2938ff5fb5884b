import type { KeysetPage, PageRows } from '../data/data-source.js';
import { badUserInput } from '../errors.js';
import type { PageSizes } from './context.js';

/** Relay connection arguments as graphql-js passes them. */
export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

const cursorVersion = 1;

/**
 * Cursors are opaque to clients: base64url of `[version, scope, ...key]`. The scope names
 * the list and its ordering, so a cursor is only accepted where it was made; the key holds
 * the keyset values (never an offset), so any page costs what the first one costs.
 */
export function encodeCursor(scope: string, key: number): string {
  return Buffer.from(JSON.stringify([cursorVersion, scope, key])).toString('base64url');
}

export function decodeCursor(cursor: string, scope: string, argument: string): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    parsed[0] !== cursorVersion ||
    !Number.isSafeInteger(parsed[2])
  ) {
    throw badUserInput(`\`${argument}\` is not a valid cursor: pass a cursor returned by this API.`);
  }
  const [, madeFor, key] = parsed as [number, unknown, number];
  if (madeFor !== scope) {
    throw badUserInput(
      `\`${argument}\` is a cursor for ${String(madeFor)}, not for ${scope}: cursors only work where they were made.`,
    );
  }
  return key;
}

/**
 * Validates the page size and decodes the cursors. Sizes beyond the limit are refused,
 * not clamped, so a client never mistakes a short page for the end of the list.
 */
export function toKeysetPage(
  args: ConnectionArgs,
  sizes: PageSizes,
  connection: string,
  scope: string,
): KeysetPage<number> {
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
    after: args.after == null ? undefined : decodeCursor(args.after, scope, 'after'),
    before: args.before == null ? undefined : decodeCursor(args.before, scope, 'before'),
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
export async function toConnection<Row extends { id: number }>(
  page: PageRows<Row>,
  request: KeysetPage<number>,
  scope: string,
  rowsBeyondCursor: (key: number, side: 'before' | 'after') => Promise<boolean>,
): Promise<Connection<Row>> {
  const edges = page.rows.map((row) => ({ cursor: encodeCursor(scope, row.id), node: row }));
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
