import type { GraphQLResolveInfo } from 'graphql';
import type { ClientFilter, ClientKey, ClientOrder, ClientPageQuery, ClientRow } from '../data/data-source.js';
import type { Context, EdgeText } from './context.js';
import type { CursorKind } from './cursors.js';
import { cutIntoSlices } from './page-slices.js';
import { type Connection, farCursor, type PageInfo, toConnection, toEdges, toPageInfo } from './pagination.js';
import { selectsField } from './selects-field.js';
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
 * has its slices recorded, to be streamed after the rest of the response; edges the planner can
 * plan are written by the database (`context.edgesWriter`), the others executed. A planned page
 * has none of its edges made now, so the response's first bytes go out at once; an executed one
 * makes its first slice now, because an error it raises (a nested page size, say) would repeat
 * in every slice and is answered as the whole page's (see run-operation.ts); the planner plans
 * nothing that raises one. Without slicing (inline mode), the page is read whole and executed.
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
    if (plan) {
      const edges = await readEdges(context, plan, range);
      slicing.lastKey = edges.at(-1)?.key;
      return { ...emptyConnection(filter), written: joined(edges) };
    }
    const page = await dataSource.clientPage(range);
    const last = page.rows.at(-1);
    slicing.lastKey = last && cursors.keyOf(last);
    return { ...toConnection(page, query, cursors, false), filter };
  }
  const far = farCursor(query);
  // Probed once, beside whatever reads the page (a cut too small to slice falls through to the page read).
  let beyondProbe: Promise<boolean> | undefined;
  const probeBeyond = () =>
    (beyondProbe ??= far
      ? dataSource.clientExistsBeyond(query.order, filter, far.key, far.side)
      : Promise.resolve(false));
  if (slicing && query.limit > slicing.sliceSize) {
    const size = slicing.sliceSize;
    // Nothing before the edges needs the page's last row: its slices follow one another.
    if (!query.fromEnd && !selectsField(info, 'pageInfo')) {
      if (plan) return { ...emptyConnection(filter), openSlices: { after: query.after, rows: query.limit, size } };
      const page = await dataSource.clientPage({ ...query, limit: size });
      const last = page.rows.at(-1);
      const openSlices =
        page.hasMore && last ? { after: cursors.keyOf(last), rows: query.limit - size, size } : undefined;
      return { edges: toEdges(page.rows, cursors), pageInfo: noPage, filter, openSlices };
    }
    const [sliced, beyond] = await Promise.all([cutIntoSlices(dataSource, query, size), probeBeyond()]);
    if (sliced.ranges.length > 1) {
      const pageInfo = toPageInfo(query, cursors, {
        first: sliced.ranges[0]?.from,
        last: sliced.ranges.at(-1)?.through,
        hasMore: sliced.hasMore,
        rowsBeyondFarCursor: beyond,
      });
      if (plan) return { edges: [], pageInfo, filter, streamedRanges: sliced.ranges };
      const [first, ...rest] = sliced.ranges;
      const page = await dataSource.clientPage({ ...query, ...first, fromEnd: false });
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
