import type { SelectList } from './client-queries.js';
import type { accountStrings, addressStrings, clientStrings } from './tables.js';

/** The nullable string columns named in a column list. */
type StringColumns<Columns extends readonly string[]> = { [Column in Columns[number]]: string | null };

/** Row shapes as the data layer returns them: plain objects, columns already camel-cased. */
export interface AddressRow extends StringColumns<typeof addressStrings> {
  id: number;
}

export interface ClientRow extends StringColumns<typeof clientStrings> {
  id: number;
  addressId: number | null;
}

export interface AccountRow extends StringColumns<typeof accountStrings> {
  id: number;
  clientId: number;
  addressId: number | null;
}

/** Orderings of `clients`; each is a keyset on (sort key, id). */
export const clientOrders = ['ID_ASC', 'ID_DESC', 'STR1_ASC', 'STR1_DESC', 'STR2_ASC', 'STR2_DESC'] as const;
export type ClientOrder = (typeof clientOrders)[number];

/**
 * Where a client sits in an ordering: its sort value (string orderings only; null sorts before
 * every string) and its id, the tie-breaker.
 */
export interface ClientKey {
  value?: string | null;
  id: number;
}

/** Conditions on one string column, combined with AND; an absent condition does not filter. */
export interface StringFilter {
  eq?: string;
  in?: readonly string[];
  /** Compared by bytes; `%` and `_` are plain characters. */
  startsWith?: string;
  isNull?: boolean;
}

/** Conditions on clients, combined with AND. */
export interface ClientFilter {
  databaseIds?: readonly number[];
  strings?: Partial<Record<(typeof clientStrings)[number], StringFilter>>;
}

/**
 * One keyset page request. Rows strictly after `after` and strictly before `before`
 * (in the ordering), then the first `limit` of them, or the last `limit` when `fromEnd`.
 */
export interface KeysetPage<Key> {
  after?: Key;
  before?: Key;
  limit: number;
  fromEnd: boolean;
}

/** A page of rows in ordering order, plus whether more rows lay beyond `limit` on the far side. */
export interface PageRows<Row> {
  rows: Row[];
  hasMore: boolean;
}

export interface ClientPageQuery extends KeysetPage<ClientKey> {
  order: ClientOrder;
  filter: ClientFilter;
  /** Only rows at or after this key (inclusive), in the ordering: where a slice of a page starts. */
  from?: ClientKey;
  /** Only rows up to and including this key, in the ordering: where a slice of a page ends. */
  through?: ClientKey;
}

/**
 * A page of clients read as arrays of column values: the key columns (the id, then the sort
 * value of a string ordering), then the columns of `select`.
 */
export interface ClientRowsQuery extends ClientPageQuery {
  select: SelectList;
}

/**
 * What the schema needs from a database. Every read takes arrays of keys and answers in
 * key order (null where a row is missing), so one GraphQL page costs a constant number
 * of statements whatever its size.
 */
export interface DataSource {
  clientPage(query: ClientPageQuery): Promise<PageRows<ClientRow>>;
  /** The same page as `clientPage`, reading only each row's key: how a large page is cut in slices. */
  clientKeys(query: ClientPageQuery): Promise<PageRows<ClientKey>>;
  /**
   * Up to `limit` rows of a page (no extra row), in ordering order, in batches. PostgreSQL
   * streams them through a cursor; SQLite reads each statement whole, so that its one
   * connection is never left busy while the caller waits (keep `limit` to a slice).
   * Stopping early (break, return) closes the cursor.
   */
  clientRows(query: ClientRowsQuery): AsyncIterable<unknown[][]>;
  /** Whether any client matching `filter` lies on `side` of `key` (inclusive) in `order`: the far-side page flags. */
  clientExistsBeyond(
    order: ClientOrder,
    filter: ClientFilter,
    key: ClientKey,
    side: 'before' | 'after',
  ): Promise<boolean>;
  countClients(filter: ClientFilter): Promise<number>;
  clientsByIds(ids: readonly number[]): Promise<(ClientRow | null)[]>;
  addressesByIds(ids: readonly number[]): Promise<(AddressRow | null)[]>;
  accountsByIds(ids: readonly number[]): Promise<(AccountRow | null)[]>;
  /** One page of accounts (ordered by id) for each client, in `clientIds` order. */
  accountPages(clientIds: readonly number[], page: KeysetPage<number>): Promise<PageRows<AccountRow>[]>;
  /** For each client, whether it has an account on `side` of `key` (inclusive). */
  accountsExistBeyond(clientIds: readonly number[], key: number, side: 'before' | 'after'): Promise<boolean[]>;
  close(): Promise<void>;
}

/** Puts rows into the order of `ids`, null where no row has that id. */
export function inKeyOrder<Row extends { id: number }>(ids: readonly number[], rows: readonly Row[]): (Row | null)[] {
  const byId = new Map<number, Row>();
  for (const row of rows) byId.set(row.id, row);
  return ids.map((id) => byId.get(id) ?? null);
}
