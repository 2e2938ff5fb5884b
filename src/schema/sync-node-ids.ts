import type { GraphQLObjectType, GraphQLSchema } from 'graphql';
import { encodeGlobalID, nodeTypenames } from './global-id.js';

/**
 * The relay plugin resolves every `id` through an async function, so graphql-js handles
 * every node as a pending object (promises per object, then per parent). Encoding an id
 * needs no I/O: resolving it synchronously made a 40,000-client export several times faster.
 */
export function resolveNodeIdsSynchronously(schema: GraphQLSchema): GraphQLSchema {
  for (const typename of nodeTypenames) {
    const field = (schema.getType(typename) as GraphQLObjectType).getFields().id;
    if (!field) throw new Error(`${typename} has no id field`);
    field.resolve = (row: { id: number }) => encodeGlobalID(typename, row.id);
  }
  return schema;
}
