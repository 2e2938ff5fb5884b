import type { ClientKey, ClientPageQuery, DataSource } from '../data/data-source.js';
import type { KeyRange } from './slicing.js';

/** A page cut into slices: their ranges in the ordering, and whether rows lie beyond the page. */
export interface SlicedPage {
  ranges: KeyRange[];
  hasMore: boolean;
}

// Keys read per statement: one statement per slice made cutting a 40,000-row page cost 40 reads
// before its first byte; 10,000 keys are a few hundred kilobytes.
const keysPerRead = 10_000;

/**
 * Cuts a page into ranges of at most `sliceSize` rows by reading only the keys, `keysPerRead` at
 * a time (each read is an index range from the previous read's end, as a page is), so a page of
 * any size needs memory for a bounded number of keys. A row present throughout lands in exactly
 * one range, even when rows are written while the page is read.
 */
export async function cutIntoSlices(
  dataSource: DataSource,
  query: ClientPageQuery,
  sliceSize: number,
): Promise<SlicedPage> {
  const reads: KeyRange[][] = [];
  let remaining = query.limit;
  let hasMore = false;
  // Reading from the end walks backwards from `before`, then the reads are put in order.
  let bound: ClientKey | undefined = query.fromEnd ? query.before : query.after;
  while (remaining > 0) {
    const limit = Math.min(Math.max(keysPerRead, sliceSize), remaining);
    const chunk = await dataSource.clientKeys({
      ...query,
      limit,
      ...(query.fromEnd ? { before: bound } : { after: bound }),
    });
    const keys = chunk.rows;
    const first = keys[0];
    const last = keys.at(-1);
    if (!first || !last) break;
    const ranges: KeyRange[] = [];
    for (let start = 0; start < keys.length; start += sliceSize) {
      const through = keys[Math.min(start + sliceSize, keys.length) - 1];
      const from = keys[start];
      if (from && through) ranges.push({ from, through });
    }
    reads.push(ranges);
    remaining -= keys.length;
    hasMore = chunk.hasMore;
    if (!chunk.hasMore) break;
    bound = query.fromEnd ? first : last;
  }
  if (query.fromEnd) reads.reverse();
  return { ranges: reads.flat(), hasMore };
}
