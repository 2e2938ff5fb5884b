import type { GraphQLFieldResolver, GraphQLObjectType, GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import type { ClientKey } from '../data/data-source.js';
import type { Context } from './context.js';

/** Rows of a page from `from` through `through` (both inclusive, in the page's ordering). */
export interface SliceRange {
  from: ClientKey;
  through: ClientKey;
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
 * slices still to run after the rest of the response, in order.
 */
export interface StreamedEdges {
  rootKey: string;
  edgesKey: string;
  written?: WrittenEdges;
  ranges: SliceRange[];
}

/**
 * How an operation is executed in a worker. `frame`: everything, with each page larger than
 * `sliceSize` holding only its first slice (the others are recorded in `streams`, with the edges
 * the database wrote); `made` counts the pages by how their edges were made. `slice`: only the
 * edges of the root field `rootKey`, for the rows of `range`; every other root field answers
 * empty without reading anything; `written` receives the edges when the database wrote them.
 */
export type Slicing =
  | { mode: 'frame'; sliceSize: number; streams: StreamedEdges[]; made: Record<EdgesMaker, number> }
  | { mode: 'slice'; rootKey: string; range: SliceRange; written?: WrittenEdges };

/** A connection object as the resolvers build it, with edges made elsewhere than in its `edges`. */
export interface SlicedConnection {
  /** Edges written as JSON; its `edges` list is then empty. */
  written?: WrittenEdges;
  /** The slices of the page still to run after the response's other parts. */
  streamedRanges?: SliceRange[];
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
    const { written, streamedRanges } = connection as SlicedConnection;
    const { slicing } = context;
    if (slicing?.mode === 'slice') slicing.written = written;
    else if (slicing && (written || streamedRanges) && info.path.prev) {
      const rootKey = String(info.path.prev.key);
      slicing.streams.push({ rootKey, edgesKey: String(info.path.key), written, ranges: streamedRanges ?? [] });
    }
    return inner(connection, args, context, info);
  });
  return schema;
}
