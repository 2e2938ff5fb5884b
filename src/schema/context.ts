import type { GraphQLResolveInfo } from 'graphql';
import type { ClientKey, ClientPageQuery, DataSource } from '../data/data-source.js';
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
  /** Set in the workers: large pages are executed in slices, and edges may be written by the database. */
  slicing?: Slicing;
  /** Writes the edges of a `clients` page as JSON without executing them (the SQL planner, `PLANNER`). */
  edgesWriter?: EdgesWriter;
}

/** One edge written as JSON: its text, its key in the ordering, and the objects it holds. */
export interface EdgeText {
  json: string;
  key: ClientKey;
  objects: number;
}

/** The planner as the schema sees it (src/planner/ depends on the schema, not the other way round). */
export interface EdgesWriter {
  /** A plan of the edges of the `clients` field being resolved, or undefined: the executor makes them. */
  plan(info: GraphQLResolveInfo): object | undefined;
  /** The edges of a page or a slice of one (at most `query.limit`, no extra row), in the ordering. */
  read(plan: object, query: ClientPageQuery): AsyncIterable<EdgeText[]>;
}
