import { hasSortValue } from '../data/client-queries.js';
import type { ClientKey, ClientPageQuery, DataSource } from '../data/data-source.js';
import { StatementBuilder } from '../data/queries.js';
import { clientCursors } from '../schema/clients.js';
import { type CursorKind, encodeCursor } from '../schema/cursors.js';
import { type DecimalTemplate, decimalTemplate } from './base64-sql.js';
import { jsonSql } from './json-sql.js';
import type { EdgesPlan } from './plan.js';
import { renderClientColumns } from './render-sql.js';

/** One edge of a `clients` page: its JSON text, and where it sits in the ordering. */
export interface ClientEdgeText {
  /** The edge as JSON, exactly as today's executor writes that element of the `edges` array. */
  json: string;
  key: ClientKey;
  /** The Client, Account and Address objects in the edge (`extensions.cost.actual`). */
  objects: number;
}

/** A plan's select list, rendered once per database and cursor template: the same text, so one prepared statement. */
const renderedColumns = new WeakMap<EdgesPlan, Map<string, StatementBuilder & { sql: string }>>();

/**
 * Writes the plan's select list into `builder`, whose first placeholders it takes; with a
 * template, the client cursor comes first, encoded by the database.
 */
function selectColumns(plan: EdgesPlan, builder: StatementBuilder, cursor: DecimalTemplate | undefined): string {
  const { dialect } = builder;
  let byTemplate = renderedColumns.get(plan);
  if (!byTemplate) {
    byTemplate = new Map();
    renderedColumns.set(plan, byTemplate);
  }
  const key = `${dialect.flavour}\n${cursor?.prefix ?? ''}`;
  let rendered = byTemplate.get(key);
  if (!rendered) {
    const fresh = new StatementBuilder(dialect);
    const json = jsonSql[dialect.flavour];
    const cursorColumn = cursor ? `${json.encoded('clients.id', cursor, fresh)}, ` : '';
    rendered = Object.assign(fresh, { sql: cursorColumn + renderClientColumns(plan, json, fresh) });
    byTemplate.set(key, rendered);
  }
  if (builder.params.length > 0) throw new Error('the select list must come before any other placeholder');
  builder.params.push(...rendered.params);
  Object.assign(builder.namedValues, rendered.namedValues);
  return rendered.sql;
}

const cursorTemplates = new Map<string, DecimalTemplate>();

/**
 * The template of the client cursors of an id ordering (constant text around the id), so that
 * the database writes them as it writes account cursors; string orderings' hold the value.
 */
function clientCursorTemplate(cursors: CursorKind<unknown, ClientKey>): DecimalTemplate {
  const key = `${cursors.scope.list}\n${cursors.scope.filter}`;
  let template = cursorTemplates.get(key);
  if (!template) {
    template = decimalTemplate((id) => encodeCursor(cursors, { id }), 'base64url');
    if (cursorTemplates.size >= 100) cursorTemplates.delete(cursorTemplates.keys().next().value as string);
    cursorTemplates.set(key, template);
  }
  return template;
}

/**
 * Writes an edge from its row: the constant parts of the object are joined once, the client
 * cursor and the SQL columns fill the gaps.
 */
function edgeWriter(plan: EdgesPlan, firstColumn: number): (row: unknown[], cursor: () => string) => string {
  const constants: string[] = [];
  const gaps: (number | 'cursor')[] = [];
  let pending = '{';
  let column = firstColumn;
  for (const [index, { key, value }] of plan.edge.entries()) {
    pending += `${index === 0 ? '' : ','}${JSON.stringify(key)}:`;
    if (value.kind === 'typename') {
      pending += JSON.stringify(value.typename);
      continue;
    }
    const isCursor = value.kind === 'clientCursor';
    // Cursors are base64url: nothing in them needs escaping.
    constants.push(isCursor ? `${pending}"` : pending);
    pending = isCursor ? '"' : '';
    gaps.push(isCursor ? 'cursor' : column++);
  }
  constants.push(`${pending}}`);
  return (row, cursor) => {
    let json = constants[0] as string;
    for (let gap = 0; gap < gaps.length; gap++) {
      const source = gaps[gap] as number | 'cursor';
      json += (source === 'cursor' ? cursor() : (row[source] as string)) + (constants[gap + 1] as string);
    }
    return json;
  };
}

/**
 * The edges of one slice of a `clients` page, written by the database: rows after `after`,
 * through `through`, before `before`, at most `limit`, in ordering order, in batches (see
 * `DataSource.clientRows`). The client cursor is made here from the row's key, the rest of
 * each edge comes from SQL.
 */
export async function* readClientEdges(
  dataSource: DataSource,
  plan: EdgesPlan,
  query: ClientPageQuery,
): AsyncIterable<ClientEdgeText[]> {
  const cursors = clientCursors(query.order, query.filter);
  const valued = hasSortValue(query.order);
  // [id, value of a string ordering | cursor of an id ordering, ...the plan's columns]
  const template = valued ? undefined : clientCursorTemplate(cursors);
  const write = edgeWriter(plan, 2);
  const rows = dataSource.clientRows({ ...query, select: (builder) => selectColumns(plan, builder, template) });
  for await (const batch of rows) {
    yield batch.map((row) => {
      const key: ClientKey = valued
        ? { value: row[1] as string | null, id: row[0] as number }
        : { id: row[0] as number };
      const json = write(row, () => (valued ? encodeCursor(cursors, key) : (row[1] as string)));
      // The last column counts the edge's objects (render-sql.ts).
      return { json, key, objects: Number(row.at(-1)) };
    });
  }
}
