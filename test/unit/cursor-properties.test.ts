import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { GraphQLError } from 'graphql';
import { type ClientKey, type ClientRow, clientOrders } from '../../src/data/data-source.js';
import { isDatabaseId, isStorableString, maxDatabaseId } from '../../src/data/storable-values.js';
import { clientCursors } from '../../src/schema/clients.js';
import { type CursorKind, decodeCursor, encodeCursor } from '../../src/schema/cursors.js';

const kinds = [
  ...clientOrders.map((order) => clientCursors(order, {})),
  clientCursors('STR1_ASC', { databaseIds: [1, 2, 3] }),
];

/** Decoding either yields a key or refuses with BAD_USER_INPUT; nothing else may come out of it. */
function decodeOrRefusal(kind: CursorKind<ClientRow, ClientKey>, cursor: string): 'refused' | ClientKey {
  try {
    return decodeCursor(kind, cursor, 'after');
  } catch (error) {
    assert.ok(error instanceof GraphQLError, String(error));
    assert.equal(error.extensions.code, 'BAD_USER_INPUT');
    assert.match(error.message, /`after`/);
    return 'refused';
  }
}

const isKey = (key: 'refused' | ClientKey) =>
  key === 'refused' ||
  (isDatabaseId(key.id) && (key.value == null || (typeof key.value === 'string' && isStorableString(key.value))));

test('property: random bytes as a cursor never crash: a valid key or BAD_USER_INPUT', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), fc.constantFrom(...kinds), (bytes, kind) => {
      assert.ok(isKey(decodeOrRefusal(kind, Buffer.from(bytes).toString('base64url'))));
    }),
    { numRuns: 2000 },
  );
});

test('property: any string, and JSON that looks almost like a cursor, is refused cleanly', () => {
  const almostCursor = fc
    .array(fc.oneof(fc.constant(2), fc.constantFrom('clients by ID_ASC', 'clients by STR1_ASC', ''), fc.jsonValue()), {
      maxLength: 6,
    })
    .map((parts) => Buffer.from(JSON.stringify(parts)).toString('base64url'));
  fc.assert(
    fc.property(fc.oneof(fc.string({ unit: 'binary' }), almostCursor), fc.constantFrom(...kinds), (cursor, kind) => {
      assert.ok(isKey(decodeOrRefusal(kind, cursor)));
    }),
    { numRuns: 3000 },
  );
});

test('property: a cursor decodes to its key where it was made, and is refused in any other ordering or filter', () => {
  // What a table can hold: ids up to 2^31 - 1, strings without U+0000.
  const stored = fc.string({ unit: 'binary' }).filter(isStorableString);
  const row = fc.record({
    id: fc.integer({ min: 1, max: maxDatabaseId }),
    str1: fc.option(stored),
    str2: fc.option(stored),
  });
  fc.assert(
    fc.property(row, fc.constantFrom(...kinds), fc.constantFrom(...kinds), (partial, made, used) => {
      const clientRow = { addressId: null, ...partial } as unknown as ClientRow;
      const key = made.keyOf(clientRow);
      const decoded = decodeOrRefusal(used, encodeCursor(made, key));
      assert.deepEqual(
        decoded,
        made === used ? { ...key, ...('value' in key ? { value: key.value ?? null } : {}) } : 'refused',
      );
    }),
    { numRuns: 1000 },
  );
});

test('property: a cursor holding a key no row can hold (an id past 2^31 - 1, a string with U+0000) is refused', () => {
  const unstorable = fc.oneof(
    fc.record({ id: fc.integer({ min: maxDatabaseId + 1, max: Number.MAX_SAFE_INTEGER }), value: fc.constant('M') }),
    fc.record({
      id: fc.integer({ min: 1, max: maxDatabaseId }),
      value: fc.tuple(fc.string(), fc.string()).map(([head, tail]) => `${head}\u0000${tail}`),
    }),
  );
  fc.assert(
    fc.property(unstorable, fc.constantFrom(...kinds), (key, kind) => {
      const values = kind.scope.list.includes('ID_') ? [key.id] : [key.value, key.id];
      if (values.length === 1 && isDatabaseId(key.id)) return;
      const cursor = Buffer.from(JSON.stringify([2, kind.scope.list, kind.scope.filter, ...values])).toString(
        'base64url',
      );
      assert.equal(decodeOrRefusal(kind, cursor), 'refused');
    }),
    { numRuns: 500 },
  );
});
