import type { GraphQLSchema } from 'graphql';
import type { ClientKey } from '../data/data-source.js';
import type { Context } from '../schema/context.js';
import type { Slicing } from '../schema/slicing.js';
import type { CompiledExecutor } from './execute-compiled.js';
import type { SliceTask } from './protocol.js';
import { countReturnedObjects } from './returned-objects.js';
import { executeOperation, objectsPlanOf } from './run-operation.js';

/**
 * The text of one slice's edges (with the comma that separates them from edges before) and the
 * key of its last row, or why there is none.
 */
export type SliceOutcome = { text: string; rows: number; objects: number; lastKey?: ClientKey } | { failed: string[] };

/**
 * Executes the operation again for one slice of a page: only that root field runs, for the rows
 * of the slice's range, with the same resolvers, loaders and compiled query (or the same SQL,
 * when the database writes the edges), so its edges are the bytes the whole page would have
 * held there. Any error fails the slice: the response's
 * status and first bytes are already sent, so the caller must see an incomplete body.
 */
export async function runSlice(
  schema: GraphQLSchema,
  task: SliceTask,
  contextValue: Context,
  execute?: CompiledExecutor,
): Promise<SliceOutcome> {
  const slicing: Extract<Slicing, { mode: 'slice' }> = {
    mode: 'slice',
    rootKey: task.stream.rootKey,
    range: task.range,
  };
  const result = await executeOperation(schema, task, { ...contextValue, slicing }, execute);
  const connection = result.data?.[task.stream.rootKey] as Record<string, unknown> | null | undefined;
  const edges = connection?.[task.stream.edgesKey];
  if (result.errors?.length || !Array.isArray(edges)) {
    const codes = (result.errors ?? []).map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
    return { failed: [...new Set(codes.length > 0 ? codes : ['INTERNAL_SERVER_ERROR'])] };
  }
  const { written, lastKey } = slicing;
  if (written) return { ...written, text: (task.afterEdges && written.text ? ',' : '') + written.text, lastKey };
  if (edges.length === 0) return { text: '', rows: 0, objects: 0 };
  const list = JSON.stringify(edges);
  const plan = objectsPlanOf(schema, task).fields.get(task.stream.rootKey)?.fields.get(task.stream.edgesKey);
  const objects = plan ? countReturnedObjects(plan, edges) : 0;
  return { text: (task.afterEdges ? ',' : '') + list.slice(1, -1), rows: edges.length, objects, lastKey };
}
