import { createHash } from 'node:crypto';
import type { ClientFilter, StringFilter } from '../data/data-source.js';
import { isStorableString } from '../data/storable-values.js';
import { clientStrings } from '../data/tables.js';
import { badUserInput } from '../errors.js';
import { builder } from './builder.js';

const StringFilterInput = builder.inputType('StringFilter', {
  description:
    'Conditions on a string field, combined with AND; a condition left out or null does not filter. Strings compare by bytes (case-sensitive).',
  fields: (t) => ({
    eq: t.string({ description: 'Equal to this string.' }),
    in: t.stringList({ description: 'Equal to one of these strings.' }),
    startsWith: t.string({ description: 'Starts with this prefix; `%` and `_` are plain characters.' }),
    isNull: t.boolean({ description: '`true`: the field is null; `false`: it is not.' }),
  }),
});

const IntFilterInput = builder.inputType('IntFilter', {
  description: 'Conditions on an integer field.',
  fields: (t) => ({ in: t.intList({ description: 'Equal to one of these integers.' }) }),
});

export const ClientFilterInput = builder.inputType('ClientFilter', {
  description: 'Conditions on clients, combined with AND. `totalCount` counts the clients that match.',
  fields: (t) => ({
    databaseId: t.field({ type: IntFilterInput }),
    ...Object.fromEntries(clientStrings.map((column) => [column, t.field({ type: StringFilterInput })])),
  }),
});

interface StringFilterArgs {
  eq?: string | null;
  in?: readonly string[] | null;
  startsWith?: string | null;
  isNull?: boolean | null;
}

type ClientFilterArgs = { databaseId?: { in?: readonly number[] | null } | null } & {
  [column in (typeof clientStrings)[number]]?: StringFilterArgs | null;
};

/** Refuses a string no column can hold, which PostgreSQL would fail the statement on (22021). */
function checkStorable(column: string, condition: 'eq' | 'in' | 'startsWith', values: readonly string[]): void {
  if (values.every(isStorableString)) return;
  throw badUserInput(
    `\`filter.${column}.${condition}\` holds the character U+0000 (NUL), which no stored string can hold: remove it.`,
  );
}

function toStringFilter(column: string, args: StringFilterArgs): StringFilter {
  if (args.eq != null) checkStorable(column, 'eq', [args.eq]);
  if (args.in != null) checkStorable(column, 'in', args.in);
  if (args.startsWith != null) checkStorable(column, 'startsWith', [args.startsWith]);
  const filter: StringFilter = {};
  if (args.eq != null) filter.eq = args.eq;
  if (args.in != null) filter.in = [...new Set(args.in)].sort();
  if (args.startsWith != null) filter.startsWith = args.startsWith;
  if (args.isNull != null) filter.isNull = args.isNull;
  return filter;
}

/** The filter argument as the data layer takes it: nulls dropped, lists sorted and without repeats. */
export function toClientFilter(args: ClientFilterArgs | null | undefined): ClientFilter {
  const filter: ClientFilter = {};
  const ids = args?.databaseId?.in;
  if (ids != null) filter.databaseIds = [...new Set(ids)].sort((a, b) => a - b);
  for (const column of clientStrings) {
    const conditions = args?.[column] ? toStringFilter(column, args[column]) : {};
    if (Object.keys(conditions).length > 0) filter.strings = { ...filter.strings, [column]: conditions };
  }
  return filter;
}

/**
 * A short digest of the filter, carried in cursors so that a cursor is refused under another
 * filter; '' when nothing is filtered. Built from the normalised filter, so spelling the same
 * conditions differently gives the same digest.
 */
export function filterDigest(filter: ClientFilter): string {
  const canonical = JSON.stringify(filter, (_key, value) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)))
      : value,
  );
  if (canonical === '{}') return '';
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 11);
}
