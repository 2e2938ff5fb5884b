import type { AccountRow, KeysetPage, PageRows } from './data-source.js';

/** Turns `limit + 1` rows read in scan order into a page in ordering order. */
export function toPage<Row>(rows: Row[], limit: number, fromEnd: boolean): PageRows<Row> {
  const hasMore = rows.length > limit;
  if (hasMore) rows.length = limit;
  if (fromEnd) rows.reverse();
  return { rows, hasMore };
}

/** Splits the rows of one window query (ordered by client, then rank) into a page per client. */
export function groupAccountPages(
  clientIds: readonly number[],
  rows: AccountRow[],
  page: KeysetPage<number>,
): PageRows<AccountRow>[] {
  const byClient = new Map<number, AccountRow[]>();
  for (const row of rows) {
    const list = byClient.get(row.clientId);
    if (list) list.push(row);
    else byClient.set(row.clientId, [row]);
  }
  return clientIds.map((id) => toPage(byClient.get(id) ?? [], page.limit, page.fromEnd));
}
