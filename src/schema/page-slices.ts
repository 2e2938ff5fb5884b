import type { ClientKey, ClientPageQuery, DataSource } from '../data/data-source.js';
import type { SliceRange } from './slicing.js';

/** A page cut into slices: their ranges in the ordering, and whether rows lie beyond the page. */
export interface SlicedPage {
  ranges: SliceRange[];
  hasMore: boolean;
}

/**
 * Cuts a page into ranges of at most `sliceSize` rows by reading only the keys, one slice at a
 * time (each read is an index range from the previous slice's end, as a page is), so a page of
 * any size needs memory for one slice. A row present throughout lands in exactly one range, even
 * when rows are written while the page is read.
 */
export async function cutIntoSlices(
  dataSource: DataSource,
  query: ClientPageQuery,
  sliceSize: number,
): Promise<SlicedPage> {
  const ranges: SliceRange[] = [];
  let remaining = query.limit;
  let hasMore = false;
  // Reading from the end walks backwards from `before`, then the ranges are put in order.
  let bound: ClientKey | undefined = query.fromEnd ? query.before : query.after;
  while (remaining > 0) {
    const limit = Math.min(sliceSize, remaining);
    const chunk = await dataSource.clientKeys({
      ...query,
      limit,
      ...(query.fromEnd ? { before: bound } : { after: bound }),
    });
    const first = chunk.rows[0];
    const last = chunk.rows.at(-1);
    if (!first || !last) break;
    ranges.push({ from: first, through: last });
    remaining -= chunk.rows.length;
    hasMore = chunk.hasMore;
    if (!chunk.hasMore) break;
    bound = query.fromEnd ? first : last;
  }
  if (query.fromEnd) ranges.reverse();
  return { ranges, hasMore };
}
