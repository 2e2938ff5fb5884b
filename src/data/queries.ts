import type { KeysetPage } from './data-source.js';
import { accountColumns, accountColumnsAliased, addressColumns, clientColumns, type SqlFlavour } from './tables.js';

/** The few places where SQLite and PostgreSQL SQL differ. */
export interface Dialect {
  /** Which database speaks it, for SQL built elsewhere (the planner's JSON). */
  flavour: SqlFlavour;
  /** The placeholder for the n-th parameter (1-based). */
  param(n: number): string;
  /** `column` is one of the values in the array parameter `param`; the value passed is `list(values)`. */
  inList(column: string, param: string, type: 'integer' | 'text'): string;
  list(values: readonly (number | string)[]): unknown;
  /** `column` starts with the string parameter `param`, compared by bytes (no LIKE wildcards). */
  startsWith(column: string, param: string): string;
  /** The LIMIT clause for the integer parameter `param`. */
  limit(param: string): string;
}

export interface Statement {
  sql: string;
  params: unknown[];
}

export class StatementBuilder {
  readonly params: unknown[] = [];
  /** SQLite only: values bound by name, see `named`. */
  readonly namedValues: Record<string, unknown> = {};
  constructor(readonly dialect: Dialect) {}
  /** Adds a parameter and returns its placeholder. */
  value(value: unknown): string {
    this.params.push(value);
    return this.dialect.param(this.params.length);
  }
  /**
   * SQLite only: a named parameter, bound once however often its placeholder appears (large
   * constants such as lookup tables). Its values travel as one object after the positional ones.
   */
  named(name: string, value: unknown): string {
    this.namedValues[name] = value;
    return `@${name}`;
  }
  /** A LIMIT clause taking `count` as a parameter. */
  limit(count: number): string {
    return this.dialect.limit(this.value(count));
  }
  in(column: string, values: readonly number[] | readonly string[], type: 'integer' | 'text' = 'integer'): string {
    return this.dialect.inList(column, this.value(this.dialect.list(values)), type);
  }
  statement(sql: string): Statement {
    const named = Object.keys(this.namedValues).length > 0;
    return { sql, params: named ? [...this.params, this.namedValues] : this.params };
  }
}

export const where = (terms: readonly string[]) => (terms.length ? `WHERE ${terms.join(' AND ')}` : '');

export function byIdsStatement(
  dialect: Dialect,
  table: 'clients' | 'addresses' | 'accounts',
  ids: readonly number[],
): Statement {
  const builder = new StatementBuilder(dialect);
  const columns = { clients: clientColumns, addresses: addressColumns, accounts: accountColumns }[table];
  return builder.statement(`SELECT ${columns} FROM ${table} WHERE ${builder.in('id', ids)}`);
}

/** WHERE terms and ORDER BY direction for a keyset page of accounts (by id, ascending). */
function accountKeyset(builder: StatementBuilder, page: KeysetPage<number>) {
  const terms: string[] = [];
  if (page.after !== undefined) terms.push(`id > ${builder.value(page.after)}`);
  if (page.before !== undefined) terms.push(`id < ${builder.value(page.before)}`);
  // Reading from the end runs the index backwards, then the caller reverses the rows.
  return { terms, direction: page.fromEnd ? 'DESC' : 'ASC' };
}

/** Up to `limit + 1` accounts per client in one statement: a window numbers each client's rows. */
export function accountPagesStatement(
  dialect: Dialect,
  clientIds: readonly number[],
  page: KeysetPage<number>,
): Statement {
  const builder = new StatementBuilder(dialect);
  const ofClients = builder.in('client_id', clientIds);
  const { terms, direction } = accountKeyset(builder, page);
  const limit = builder.value(page.limit + 1);
  return builder.statement(
    `SELECT ${accountColumnsAliased} FROM (` +
      `SELECT ${accountColumns}, ROW_NUMBER() OVER (PARTITION BY client_id ORDER BY id ${direction}) AS rn ` +
      `FROM accounts ${where([ofClients, ...terms])}) AS ranked WHERE rn <= ${limit} ORDER BY "clientId", rn`,
  );
}

export function accountsExistBeyondStatement(
  dialect: Dialect,
  clientIds: readonly number[],
  key: number,
  side: 'before' | 'after',
): Statement {
  const builder = new StatementBuilder(dialect);
  const op = side === 'before' ? '<=' : '>=';
  return builder.statement(
    `SELECT DISTINCT client_id AS "clientId" FROM accounts WHERE ${builder.in('client_id', clientIds)} AND id ${op} ${builder.value(key)}`,
  );
}
