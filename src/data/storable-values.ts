/**
 * What the tables can hold, the same on both databases. Ids are `INTEGER` (32-bit on PostgreSQL;
 * `databaseId` is a GraphQL `Int` too) and strings are text, which on PostgreSQL cannot hold
 * U+0000. A key outside these names no row: it is refused or answered as missing before it
 * reaches SQL, where PostgreSQL would fail the whole statement (22003, 22021).
 */

/** The largest id a row can have: 2^31 - 1. */
export const maxDatabaseId = 2 ** 31 - 1;

/** Whether a value can be the id of a row: an integer from 1 to `maxDatabaseId`. */
export const isDatabaseId = (value: unknown): value is number =>
  Number.isInteger(value) && (value as number) >= 1 && (value as number) <= maxDatabaseId;

/** Whether a string column can hold this value: it has no U+0000. */
export const isStorableString = (value: string): boolean => !value.includes('\u0000');
