import type { ClientOrder, ClientPageQuery, KeysetPage } from './data-source.js';
import { accountColumns, accountColumnsAliased, addressColumns, clientColumns } from './tables.js';

/** The few places where SQLite and PostgreSQL SQL differ. */
export interface Dialect {
  /** The placeholder for the n-th parameter (1-based). */
  param(n: number): string;
  /** `column` is one of the ids in the array parameter `param`; the value passed is `idList(ids)`. */
  inIds(column: string, param: string): string;
  idList(ids: readonly number[]): unknown;
}

export interface Statement {
  sql: string;
  params: unknown[];
}

class StatementBuilder {
  readonly params: unknown[] = [];
  constructor(private readonly dialect: Dialect) {}
  /** Adds a parameter and returns its placeholder. */
  value(value: unknown): string {
    this.params.push(value);
    return this.dialect.param(this.params.length);
  }
  ids(column: string, ids: readonly number[]): string {
    return this.dialect.inIds(column, this.value(this.dialect.idList(ids)));
  }
}

interface Ordering {
  ascending: boolean;
}

const orderings: Record<ClientOrder, Ordering> = {
  ID_ASC: { ascending: true },
  ID_DESC: { ascending: false },
};

/** WHERE terms and ORDER BY direction for a keyset page on `id`. */
function keyset(builder: StatementBuilder, page: KeysetPage<number>, ordering: Ordering) {
  const terms: string[] = [];
  const [afterOp, beforeOp] = ordering.ascending ? ['>', '<'] : ['<', '>'];
  if (page.after !== undefined) terms.push(`id ${afterOp} ${builder.value(page.after)}`);
  if (page.before !== undefined) terms.push(`id ${beforeOp} ${builder.value(page.before)}`);
  // Reading from the end runs the index backwards, then the caller reverses the rows.
  const ascending = ordering.ascending !== page.fromEnd;
  return { terms, direction: ascending ? 'ASC' : 'DESC' };
}

const where = (terms: string[]) => (terms.length ? `WHERE ${terms.join(' AND ')}` : '');

/** One more row than the page holds, so the caller knows whether more lie beyond it. */
export function clientPageStatement(dialect: Dialect, query: ClientPageQuery): Statement {
  const builder = new StatementBuilder(dialect);
  const { terms, direction } = keyset(builder, query, orderings[query.order]);
  const limit = builder.value(query.limit + 1);
  return {
    sql: `SELECT ${clientColumns} FROM clients ${where(terms)} ORDER BY id ${direction} LIMIT ${limit}`,
    params: builder.params,
  };
}

export function clientExistsBeyondStatement(
  dialect: Dialect,
  order: ClientOrder,
  key: number,
  side: 'before' | 'after',
): Statement {
  const builder = new StatementBuilder(dialect);
  const ascending = orderings[order].ascending;
  const op = (side === 'before') === ascending ? '<=' : '>=';
  return {
    sql: `SELECT EXISTS (SELECT 1 FROM clients WHERE id ${op} ${builder.value(key)}) AS "exists"`,
    params: builder.params,
  };
}

export function countClientsStatement(): Statement {
  return { sql: 'SELECT COUNT(*) AS "count" FROM clients', params: [] };
}

export function byIdsStatement(
  dialect: Dialect,
  table: 'clients' | 'addresses' | 'accounts',
  ids: readonly number[],
): Statement {
  const builder = new StatementBuilder(dialect);
  const columns = { clients: clientColumns, addresses: addressColumns, accounts: accountColumns }[table];
  return { sql: `SELECT ${columns} FROM ${table} WHERE ${builder.ids('id', ids)}`, params: builder.params };
}

/** Up to `limit + 1` accounts per client in one statement: a window numbers each client's rows. */
export function accountPagesStatement(
  dialect: Dialect,
  clientIds: readonly number[],
  page: KeysetPage<number>,
): Statement {
  const builder = new StatementBuilder(dialect);
  const ofClients = builder.ids('client_id', clientIds);
  const { terms, direction } = keyset(builder, page, { ascending: true });
  const limit = builder.value(page.limit + 1);
  return {
    sql:
      `SELECT ${accountColumnsAliased} FROM (` +
      `SELECT ${accountColumns}, ROW_NUMBER() OVER (PARTITION BY client_id ORDER BY id ${direction}) AS rn ` +
      `FROM accounts ${where([ofClients, ...terms])}) AS ranked WHERE rn <= ${limit} ORDER BY "clientId", rn`,
    params: builder.params,
  };
}

export function accountsExistBeyondStatement(
  dialect: Dialect,
  clientIds: readonly number[],
  key: number,
  side: 'before' | 'after',
): Statement {
  const builder = new StatementBuilder(dialect);
  const op = side === 'before' ? '<=' : '>=';
  return {
    sql: `SELECT DISTINCT client_id AS "clientId" FROM accounts WHERE ${builder.ids('client_id', clientIds)} AND id ${op} ${builder.value(key)}`,
    params: builder.params,
  };
}
