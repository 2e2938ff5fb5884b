import type { StatementBuilder } from '../data/queries.js';
import type { SqlFlavour } from '../data/tables.js';
import { type DecimalTemplate, sqliteBase64 } from './base64-sql.js';

/**
 * How one database writes JSON text that is byte for byte what JSON.stringify writes. Each
 * method answers an SQL expression for a JSON value: an SQL value that the object builder
 * quotes (text), embeds (json) or prints (integers, booleans, null), SQLite's json_object and
 * PostgreSQL's row_to_json alike.
 */
export interface JsonSql {
  object(members: readonly { key: string; value: string }[]): string;
  /** A nullable text column: a JSON string or null. */
  text(column: string): string;
  /** An integer that is never null. */
  integer(expression: string): string;
  constant(value: string): string;
  /** An SQL condition as true or false. */
  boolean(condition: string): string;
  /** A string made by encoding a template around a positive integer (global ids and cursors). */
  encoded(integer: string, template: DecimalTemplate, builder: StatementBuilder): string;
  /** A scalar subquery answering one JSON value, or null when it has no row. */
  orNull(subquery: string): string;
  /** The JSON array of `element` over the rows of `from` (a derived table) in `orderBy` order. */
  array(element: string, from: string, orderBy: string): string;
  /** A JSON value as the text column a statement answers. */
  column(value: string): string;
}

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

const sqliteJson: JsonSql = {
  object: (members) => `json_object(${members.map(({ key, value }) => `${quote(key)}, ${value}`).join(', ')})`,
  text: (column) => column,
  integer: (expression) => expression,
  constant: (value) => quote(value),
  // json() marks the text as JSON, so json_object embeds it rather than quoting it.
  boolean: (condition) => `json(CASE WHEN ${condition} THEN 'true' ELSE 'false' END)`,
  encoded: sqliteBase64,
  orNull: (subquery) => `(${subquery})`,
  array: (element, from, orderBy) => `(SELECT json_group_array(${element} ORDER BY ${orderBy}) FROM ${from})`,
  column: (value) => value,
};

const postgresJson: JsonSql = {
  // row_to_json and array_to_json write no spaces (json_build_object and json_agg do) and embed json as it is.
  object: (members) =>
    members.length === 0
      ? `'{}'::json`
      : `(SELECT row_to_json(o) FROM (SELECT ${members.map(({ key, value }) => `${value} AS "${key}"`).join(', ')}) AS o)`,
  text: (column) => column,
  integer: (expression) => expression,
  constant: (value) => `${quote(value)}::text`,
  boolean: (condition) => `(${condition})`,
  // encode() breaks lines every 76 characters; base64url swaps two characters and drops the padding.
  encoded: (integer, { prefix, suffix, encoding }) => {
    const base64 = `encode(convert_to(${quote(prefix)} || (${integer})::text || ${quote(suffix)}, 'UTF8'), 'base64')`;
    const characters = encoding === 'base64url' ? `'+/=' || chr(10), '-_'` : `chr(10), ''`;
    return `translate(${base64}, ${characters})`;
  },
  orNull: (subquery) => `(${subquery})`,
  array: (element, from, orderBy) =>
    `(SELECT coalesce(array_to_json(array_agg(${element} ORDER BY ${orderBy})), '[]'::json) FROM ${from})`,
  column: (value) => `(${value})::text`,
};

export const jsonSql: Record<SqlFlavour, JsonSql> = { sqlite: sqliteJson, postgres: postgresJson };
