import type { GraphQLFieldResolver, GraphQLObjectType, GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import type { ClientKey } from '../data/data-source.js';
import type { Context } from './context.js';

/** Rows of a page from `from` through `through` (both inclusive, in the page's ordering): a slice cut ahead. */
export interface KeyRange {
  from: ClientKey;
  through: ClientKey;
}

/**
 * The next `limit` rows after `after` (from the page's start when absent): a slice that follows
 * the one before it, its start known only once that one is read.
 */
export interface OpenRange {
  after?: ClientKey;
  limit: number;
}

export type SliceRange = KeyRange | OpenRange;

/**
 * A page read forwards whose `pageInfo` is not asked for: nothing needs its last row before its
 * first bytes, so it is not cut ahead. Its slices of `size` rows follow one another, from
 * `after`, until `rows` are read or a slice comes back short.
 */
export interface OpenSlices {
  after?: ClientKey;
  rows: number;
  size: number;
}

/** Edges already written as JSON (by the database, see `EdgesWriter`), to go where the list is. */
export interface WrittenEdges {
  /** The edges' JSON, comma-separated, without brackets ('' for none). */
  text: string;
  rows: number;
  /** The Client, Account and Address objects in them (`extensions.cost.actual`). */
  objects: number;
}

/** How the edges of a `clients` page were made: by the executor, or written by the database. */
export type EdgesMaker = 'executor' | 'sql';

/**
 * A connection whose edges are not (all) in the result object: where they go
 * (`data[rootKey][edgesKey]`), the edges already written as JSON for the first part, and the
 * slices still to run after the rest of the response: cut ahead (`ranges`, in order) or open.
 */
export interface StreamedEdges {
  rootKey: string;
  edgesKey: string;
  written?: WrittenEdges;
  ranges: KeyRange[];
  open?: OpenSlices;
}

/** True when slices of the stream's page are still to run. */
export const hasSlices = (stream: StreamedEdges) => stream.ranges.length > 0 || stream.open !== undefined;

/**
 * How an operation is executed in a worker. `frame`: everything, with each page larger than
 * `sliceSize` holding at most its first slice (its slices to come are recorded in `streams`, with
 * the edges the database wrote); `made` counts the pages by how their edges were made. `slice`: only the
 * edges of the root field `rootKey`, for the rows of `range`; every other root field answers
 * empty without reading anything; `written` receives the edges when the database wrote them,
 * `lastKey` the key of the slice's last row (where an open slice after it starts).
 */
export type Slicing =
  | { mode: 'frame'; sliceSize: number; streams: StreamedEdges[]; made: Record<EdgesMaker, number> }
  | { mode: 'slice'; rootKey: string; range: SliceRange; written?: WrittenEdges; lastKey?: ClientKey };

/** A connection object as the resolvers build it, with edges made elsewhere than in its `edges`. */
export interface SlicedConnection {
  /** Edges written as JSON; its `edges` list is then empty. */
  written?: WrittenEdges;
  /** The slices of the page still to run after the response's other parts, cut ahead. */
  streamedRanges?: KeyRange[];
  /** The slices of the page still to run, each from the end of the one before. */
  openSlices?: OpenSlices;
}

/** True when the operation runs one slice and this root field is not the one being sliced. */
export const isOutsideSlice = (context: Context, info: GraphQLResolveInfo) =>
  context.slicing?.mode === 'slice' && info.path.key !== context.slicing.rootKey;

/** True when the operation runs one slice: counts and far-side probes are not needed then. */
export const isSlice = (context: Context) => context.slicing?.mode === 'slice';

type Resolver = GraphQLFieldResolver<unknown, Context>;

function wrapResolver(schema: GraphQLSchema, typename: string, fieldName: string, wrap: (inner: Resolver) => Resolver) {
  const field = (schema.getType(typename) as GraphQLObjectType).getFields()[fieldName];
  if (!field?.resolve) throw new Error(`${typename}.${fieldName} has no resolver to wrap`);
  field.resolve = wrap(field.resolve as Resolver);
}

/**
 * Teaches the schema's generated fields about slicing: `node` and `nodes` answer empty outside
 * the sliced root field, and edges made elsewhere (later slices, the database) record where they go.
 */
export function supportSlicing(schema: GraphQLSchema): GraphQLSchema {
  wrapResolver(
    schema,
    'Query',
    'node',
    (inner) => (root, args, context, info) => (isOutsideSlice(context, info) ? null : inner(root, args, context, info)),
  );
  wrapResolver(
    schema,
    'Query',
    'nodes',
    (inner) => (root, args, context, info) => (isOutsideSlice(context, info) ? [] : inner(root, args, context, info)),
  );
  wrapResolver(schema, 'ClientConnection', 'edges', (inner) => (connection, args, context, info) => {
    const { written, streamedRanges, openSlices } = connection as SlicedConnection;
    const { slicing } = context;
    if (slicing?.mode === 'slice') slicing.written = written;
    else if (slicing && (written || streamedRanges || openSlices) && info.path.prev) {
      const rootKey = String(info.path.prev.key);
      const edgesKey = String(info.path.key);
      slicing.streams.push({ rootKey, edgesKey, written, ranges: streamedRanges ?? [], open: openSlices });
    }
    return inner(connection, args, context, info);
  });
  return schema;
}
