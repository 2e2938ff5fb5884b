import type { DataSource } from '../data/data-source.js';
import type { Slicing } from './slicing.js';

/** Page size limits, from `DEFAULT_PAGE_SIZE` and `MAX_PAGE_SIZE`. */
export interface PageSizes {
  defaultSize: number;
  maxSize: number;
}

/** What every resolver gets; one per operation, so DataLoader caches never outlive it. */
export interface Context {
  dataSource: DataSource;
  pageSizes: PageSizes;
  /** Set when large pages are executed in slices (worker mode); absent, every page is executed whole. */
  slicing?: Slicing;
}
