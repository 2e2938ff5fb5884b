import type { ClientFilter, ClientKey, ClientOrder, ClientPageQuery } from './data-source.js';
import { type Dialect, type Statement, StatementBuilder, where } from './queries.js';
import { clientColumns, clientStrings } from './tables.js';

interface Ordering {
  column: 'id' | 'str1' | 'str2';
  ascending: boolean;
}

export const clientOrderings: Record<ClientOrder, Ordering> = {
  ID_ASC: { column: 'id', ascending: true },
  ID_DESC: { column: 'id', ascending: false },
  STR1_ASC: { column: 'str1', ascending: true },
  STR1_DESC: { column: 'str1', ascending: false },
  STR2_ASC: { column: 'str2', ascending: true },
  STR2_DESC: { column: 'str2', ascending: false },
};

/** Whether the ordering sorts by a string column, so its keys carry a value besides the id. */
export const hasSortValue = (order: ClientOrder) => clientOrderings[order].column !== 'id';

/**
 * A run of rows that one index range scan reads in order. A string ordering has two: the
 * rows whose value is null, then the rest, each by (value, id). Null sorts before every
 * string, as in SQLite; querying the runs apart keeps each one a plain index range on either
 * database, whatever its own null ordering. The null run orders by the value too (a no-op on
 * nulls) so that PostgreSQL reads it straight from the (value, id) index instead of sorting.
 */
interface Segment {
  index: number;
  test: string | null;
  orderBy: readonly string[];
  /** Whether keys in this run compare on (value, id) or on id alone. */
  byValue: boolean;
}

function segments(ordering: Ordering): Segment[] {
  const { column } = ordering;
  if (column === 'id') return [{ index: 0, test: null, orderBy: ['id'], byValue: false }];
  return [
    { index: 0, test: `${column} IS NULL`, orderBy: [column, 'id'], byValue: false },
    { index: 1, test: `${column} IS NOT NULL`, orderBy: [column, 'id'], byValue: true },
  ];
}

const segmentOf = (ordering: Ordering, key: ClientKey) => (ordering.column === 'id' || key.value == null ? 0 : 1);

type Comparison = '>' | '>=' | '<' | '<=';

interface Bound {
  key: ClientKey;
  comparison: Comparison;
}

/** Whether a bound in another segment leaves none of `segment`'s rows on its side. */
function excludes(ordering: Ordering, segment: Segment, bound: Bound): boolean {
  const keySegment = segmentOf(ordering, bound.key);
  return keySegment !== segment.index && keySegment < segment.index === bound.comparison.startsWith('<');
}

/** The WHERE term for a bound whose key lies in `segment`; none when it lies in another. */
function boundTerm(builder: StatementBuilder, ordering: Ordering, segment: Segment, bound: Bound): string[] {
  if (segmentOf(ordering, bound.key) !== segment.index) return [];
  const { key, comparison } = bound;
  if (!segment.byValue) return [`id ${comparison} ${builder.value(key.id)}`];
  return [`(${ordering.column}, id) ${comparison} (${builder.value(key.value)}, ${builder.value(key.id)})`];
}

/** The filter's conditions; column names only ever come from the fixed list of client columns. */
function filterTerms(builder: StatementBuilder, filter: ClientFilter): string[] {
  const terms: string[] = [];
  if (filter.databaseIds) terms.push(builder.in('id', filter.databaseIds));
  for (const column of clientStrings) {
    const conditions = filter.strings?.[column];
    if (!conditions) continue;
    if (conditions.eq !== undefined) terms.push(`${column} = ${builder.value(conditions.eq)}`);
    if (conditions.in !== undefined) terms.push(builder.in(column, conditions.in, 'text'));
    if (conditions.startsWith !== undefined) {
      terms.push(builder.dialect.startsWith(column, builder.value(conditions.startsWith)));
    }
    if (conditions.isNull !== undefined) terms.push(`${column} IS ${conditions.isNull ? '' : 'NOT '}NULL`);
  }
  return terms;
}

/** The WHERE terms selecting `segment`'s rows within the bounds that match the filter. */
function segmentTerms(
  builder: StatementBuilder,
  ordering: Ordering,
  segment: Segment,
  filter: ClientFilter,
  bounds: readonly Bound[],
): string[] {
  return [
    ...(segment.test ? [segment.test] : []),
    ...bounds.flatMap((bound) => boundTerm(builder, ordering, segment, bound)),
    ...filterTerms(builder, filter),
  ];
}

const canHoldRows = (ordering: Ordering, bounds: readonly Bound[]) => (segment: Segment) =>
  !bounds.some((bound) => excludes(ordering, segment, bound));

const reversed: Record<Comparison, Comparison> = { '>': '<', '>=': '<=', '<': '>', '<=': '>=' };

/** The query's keys as bounds on the columns: a descending ordering turns "after" into "below". */
function pageBounds(ordering: Ordering, query: ClientPageQuery): Bound[] {
  const onColumns = (comparison: Comparison) => (ordering.ascending ? comparison : reversed[comparison]);
  const bounds: Bound[] = [];
  if (query.after) bounds.push({ key: query.after, comparison: onColumns('>') });
  if (query.from) bounds.push({ key: query.from, comparison: onColumns('>=') });
  if (query.before) bounds.push({ key: query.before, comparison: onColumns('<') });
  if (query.through) bounds.push({ key: query.through, comparison: onColumns('<=') });
  return bounds;
}

/**
 * Columns written by the caller after a row's key columns; their placeholders come from
 * `builder` before the WHERE terms' do.
 */
export type SelectList = (builder: StatementBuilder) => string;

/**
 * What a page statement reads of each row: the whole client, only its key in the ordering, or
 * its key followed by a select list of the caller's.
 */
export type ClientColumns = 'row' | 'key' | SelectList;

/**
 * The statements that read one page, a segment each, in scan order. The caller runs them in
 * turn until it holds `limit + 1` rows (the extra row tells whether more lie beyond);
 * `remaining` is how many rows the statement should still return.
 */
export function clientPageStatements(
  dialect: Dialect,
  query: ClientPageQuery,
  columns: ClientColumns = 'row',
): ((remaining: number) => Statement)[] {
  const ordering = clientOrderings[query.order];
  const scanAscending = ordering.ascending !== query.fromEnd;
  const bounds = pageBounds(ordering, query);
  const inScanOrder = scanAscending ? segments(ordering) : segments(ordering).reverse();
  const direction = scanAscending ? 'ASC' : 'DESC';
  return inScanOrder.filter(canHoldRows(ordering, bounds)).map((segment) => (remaining: number) => {
    const builder = new StatementBuilder(dialect);
    const selected =
      typeof columns === 'function'
        ? `${keyColumns(ordering)}, ${columns(builder)}`
        : columns === 'row'
          ? clientColumns
          : keyColumns(ordering);
    const terms = segmentTerms(builder, ordering, segment, query.filter, bounds);
    return builder.statement(
      `SELECT ${selected} FROM clients ${where(terms)} ${orderBy(segment, direction)} ${builder.limit(remaining)}`,
    );
  });
}

/** The columns of a row's key: the id, and the sort value of a string ordering (as `value`). */
const keyColumns = (ordering: Ordering) => (ordering.column === 'id' ? 'id' : `id, ${ordering.column} AS "value"`);

// Qualified: PostgreSQL reads a bare name as an output column first, and a select list of
// expressions may name one like a table column.
const orderBy = (segment: Segment, direction: 'ASC' | 'DESC') =>
  `ORDER BY ${segment.orderBy.map((column) => `clients.${column} ${direction}`).join(', ')}`;

/**
 * Whether any matching client lies on `side` of `key` (inclusive) in `order`: one statement.
 * Each probe reads the index from the key outwards (a scalar ORDER BY ... LIMIT 1): PostgreSQL
 * drops ORDER BY inside EXISTS and may pick a sequential scan that reads most of the table.
 */
export function clientExistsBeyondStatement(
  dialect: Dialect,
  order: ClientOrder,
  filter: ClientFilter,
  key: ClientKey,
  side: 'before' | 'after',
): Statement {
  const ordering = clientOrderings[order];
  const below = (side === 'before') === ordering.ascending;
  const bounds: Bound[] = [{ key, comparison: below ? '<=' : '>=' }];
  const builder = new StatementBuilder(dialect);
  const probes = segments(ordering)
    .filter(canHoldRows(ordering, bounds))
    .map((segment) => {
      const terms = segmentTerms(builder, ordering, segment, filter, bounds);
      return `(SELECT id FROM clients ${where(terms)} ${orderBy(segment, below ? 'DESC' : 'ASC')} LIMIT 1) IS NOT NULL`;
    });
  return builder.statement(`SELECT (${probes.join(' OR ') || 'FALSE'}) AS "exists"`);
}

export function countClientsStatement(dialect: Dialect, filter: ClientFilter): Statement {
  const builder = new StatementBuilder(dialect);
  return builder.statement(`SELECT COUNT(*) AS "count" FROM clients ${where(filterTerms(builder, filter))}`);
}
