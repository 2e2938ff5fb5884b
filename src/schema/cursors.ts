import { badUserInput } from '../errors.js';

const cursorVersion = 2;

/** Where a cursor may be used: a list in one ordering (`clients by STR1_ASC`), under one filter (a digest, or ''). */
export interface CursorScope {
  list: string;
  filter: string;
}

/** How rows of one list turn into keyset keys, and keys into cursor values and back. */
export interface CursorKind<Row, Key> {
  scope: CursorScope;
  keyOf(row: Row): Key;
  toValues(key: Key): readonly unknown[];
  /** The key the values stand for, or undefined when they cannot be one of this list's keys. */
  fromValues(values: readonly unknown[]): Key | undefined;
}

/**
 * Cursors are opaque to clients: base64url of `[version, list, filter, ...key]`. The list and
 * filter make a cursor valid only where it was made; the key holds the keyset values (never
 * an offset), so any page costs what the first one costs.
 */
export function encodeCursor<Row, Key>(kind: CursorKind<Row, Key>, key: Key): string {
  const { list, filter } = kind.scope;
  return Buffer.from(JSON.stringify([cursorVersion, list, filter, ...kind.toValues(key)])).toString('base64url');
}

export function decodeCursor<Row, Key>(kind: CursorKind<Row, Key>, cursor: string, argument: string): Key {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed[0] !== cursorVersion || typeof parsed[1] !== 'string') {
    throw badUserInput(`\`${argument}\` is not a valid cursor: pass a cursor returned by this API.`);
  }
  const [, list, filter, ...values] = parsed as [number, string, unknown, ...unknown[]];
  if (list !== kind.scope.list) {
    throw badUserInput(
      `\`${argument}\` is a cursor for ${list}, not for ${kind.scope.list}: cursors only work where they were made.`,
    );
  }
  if (filter !== kind.scope.filter) {
    throw badUserInput(
      `\`${argument}\` was made with another filter: pass the filter it was made with, or start again without a cursor.`,
    );
  }
  const key = kind.fromValues(values);
  if (key === undefined) {
    throw badUserInput(`\`${argument}\` is not a valid cursor: pass a cursor returned by this API.`);
  }
  return key;
}
