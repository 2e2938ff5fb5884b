import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.js';
import { supportSlicing } from './slicing.js';
import { resolveNodeIdsSynchronously } from './sync-node-ids.js';
import './addresses.js';
import './accounts.js';
import './clients.js';

/** The executable schema; the same in the workers and in inline mode. */
export const schema = supportSlicing(resolveNodeIdsSynchronously(builder.toSchema()));

/** The schema sorted by name, as printed to schema.graphql. */
export const sortedSchema = lexicographicSortSchema(schema);
