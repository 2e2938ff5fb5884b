import type { GraphQLResolveInfo } from 'graphql';
import type { ClientFilter, ClientKey, ClientOrder, ClientPageQuery, ClientRow } from '../data/data-source.js';
import type { Context, EdgeText } from './context.js';
import type { CursorKind } from './cursors.js';
import { cutIntoSlices } from './page-slices.js';
import { type Connection, farCursor, type PageInfo, toConnection, toEdges, toPageInfo } from './pagination.js';
import type { SlicedConnection, WrittenEdges } from './slicing.js';

/** What the `clients` field answers: a connection, its filter (for `totalCount`), and edges made elsewhere. */
export type ClientConnection = (Connection<ClientRow> | { edges: []; pageInfo: PageInfo }) &
  SlicedConnection & { filter: ClientFilter };

/** One page request of `clients`, its arguments already checked. */
export interface ClientPageRequest {
  query: ClientPageQuery & { order: ClientOrder };
  cursors: CursorKind<ClientRow, ClientKey>;
}

const noPage: PageInfo = { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null };

/** What a root field other than the one being sliced answers while a slice runs: nothing is read. */
export const emptyConnection = (filter: ClientFilter): ClientConnection => ({ edges: [], pageInfo: noPage, filter });

/** Reads edges the database writes, joined as one list's text. */
async function writeEdges(context: Context, plan: object, query: ClientPageQuery): Promise<WrittenEdges> {
  const edges = await readEdges(context, plan, query);
  return joined(edges);
}

async function readEdges(context: Context, plan: object, query: ClientPageQuery): Promise<EdgeText[]> {
  const edges: EdgeText[] = [];
  for await (const batch of context.edgesWriter?.read(plan, query) ?? []) for (const edge of batch) edges.push(edge);
  return edges;
}

const joined = (edges: readonly EdgeText[]): WrittenEdges => ({
  text: edges.map((edge) => edge.json).join(','),
  rows: edges.length,
  objects: edges.reduce((sum, edge) => sum + edge.objects, 0),
});

/**
 * One page of `clients` as the worker makes it (`context.slicing`): a page larger than a slice
 * is cut into slices and only its first one is made now; edges the planner can plan are written
 * by the database (`context.edgesWriter`), the others executed. Without slicing (inline mode),
 * the page is read whole and executed.
 */
export async function clientPage(
  { query, cursors }: ClientPageRequest,
  context: Context,
  info: GraphQLResolveInfo,
): Promise<ClientConnection> {
  const { dataSource, slicing } = context;
  const { filter } = query;
  const plan = slicing ? context.edgesWriter?.plan(info) : undefined;
  if (slicing?.mode === 'frame') slicing.made[plan ? 'sql' : 'executor']++;
  if (slicing?.mode === 'slice') {
    const range = { ...query, ...slicing.range, fromEnd: false };
    if (plan) return { ...emptyConnection(filter), written: await writeEdges(context, plan, range) };
    return { ...toConnection(await dataSource.clientPage(range), query, cursors, false), filter };
  }
  const far = farCursor(query);
  const probeBeyond = async () => (far ? dataSource.clientExistsBeyond(query.order, filter, far.key, far.side) : false);

  if (slicing && query.limit > slicing.sliceSize) {
    const [sliced, beyond] = await Promise.all([cutIntoSlices(dataSource, query, slicing.sliceSize), probeBeyond()]);
    const [first, ...rest] = sliced.ranges;
    // The first slice is made now, the rest are streamed after the response's other parts.
    if (first && rest.length > 0) {
      const pageInfo = toPageInfo(query, cursors, {
        first: first.from,
        last: rest.at(-1)?.through,
        hasMore: sliced.hasMore,
        rowsBeyondFarCursor: beyond,
      });
      const range = { ...query, ...first, fromEnd: false };
      if (plan)
        return { edges: [], pageInfo, filter, written: await writeEdges(context, plan, range), streamedRanges: rest };
      const page = await dataSource.clientPage(range);
      return { edges: toEdges(page.rows, cursors), pageInfo, filter, streamedRanges: rest };
    }
  }
  if (plan) {
    // One statement for the page and the row beyond it (the first one when reading from the end).
    const [edges, beyond] = await Promise.all([
      readEdges(context, plan, { ...query, limit: query.limit + 1 }),
      probeBeyond(),
    ]);
    const hasMore = edges.length > query.limit;
    if (hasMore) query.fromEnd ? edges.shift() : edges.pop();
    const pageInfo = toPageInfo(query, cursors, {
      first: edges[0]?.key,
      last: edges.at(-1)?.key,
      hasMore,
      rowsBeyondFarCursor: beyond,
    });
    return { edges: [], pageInfo, filter, written: joined(edges) };
  }
  const [page, beyond] = await Promise.all([dataSource.clientPage(query), probeBeyond()]);
  return { ...toConnection(page, query, cursors, beyond), filter };
}
