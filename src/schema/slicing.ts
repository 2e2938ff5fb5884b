import type { GraphQLFieldResolver, GraphQLObjectType, GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import type { ClientKey } from '../data/data-source.js';
import type { Context } from './context.js';

/** Rows of a page from `from` through `through` (both inclusive, in the page's ordering). */
export interface SliceRange {
  from: ClientKey;
  through: ClientKey;
}

/**
 * A connection whose edges beyond its first slice are sent after the rest of the response:
 * where they go (`data[rootKey][edgesKey]`) and the slices still to run, in order.
 */
export interface StreamedEdges {
  rootKey: string;
  edgesKey: string;
  ranges: SliceRange[];
}

/**
 * How an operation is executed when large pages go out in slices. `frame`: everything, with each
 * page larger than `sliceSize` holding only its first slice (the others are recorded in
 * `streams`). `slice`: only the edges of the root field `rootKey`, for the rows of `range`; every
 * other root field answers empty without reading anything.
 */
export type Slicing =
  | { mode: 'frame'; sliceSize: number; streams: StreamedEdges[] }
  | { mode: 'slice'; rootKey: string; range: SliceRange };

/** A connection object as the resolvers build it, with the slices of its edges not yet executed. */
export interface SlicedConnection {
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
 * the sliced root field, and the edges of a sliced connection record where they go.
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
    const ranges = (connection as SlicedConnection).streamedRanges;
    if (ranges && context.slicing?.mode === 'frame' && info.path.prev) {
      context.slicing.streams.push({ rootKey: String(info.path.prev.key), edgesKey: String(info.path.key), ranges });
    }
    return inner(connection, args, context, info);
  });
  return schema;
}
