import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { GraphQLError } from 'graphql';
import { decodeCursor, encodeCursor } from '../../src/schema/pagination.js';

const scopes = ['clients:ID_ASC', 'clients:ID_DESC', 'accounts'];

/** Decoding either yields a key or refuses with BAD_USER_INPUT; nothing else may come out of it. */
function decodeOrRefusal(cursor: string, scope: string): 'refused' | number {
  try {
    return decodeCursor(cursor, scope, 'after');
  } catch (error) {
    assert.ok(error instanceof GraphQLError, String(error));
    assert.equal(error.extensions.code, 'BAD_USER_INPUT');
    assert.match(error.message, /`after`/);
    return 'refused';
  }
}

test('property: random bytes as a cursor never crash: a safe integer key or BAD_USER_INPUT', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), fc.constantFrom(...scopes), (bytes, scope) => {
      const decoded = decodeOrRefusal(Buffer.from(bytes).toString('base64url'), scope);
      assert.ok(decoded === 'refused' || Number.isSafeInteger(decoded));
    }),
    { numRuns: 2000 },
  );
});

test('property: any string as a cursor, and JSON that looks almost right, is refused cleanly', () => {
  const almostCursor = fc
    .tuple(fc.jsonValue(), fc.jsonValue(), fc.jsonValue())
    .map((parts) => Buffer.from(JSON.stringify(parts)).toString('base64url'));
  fc.assert(
    fc.property(fc.oneof(fc.string({ unit: 'binary' }), almostCursor), fc.constantFrom(...scopes), (cursor, scope) => {
      const decoded = decodeOrRefusal(cursor, scope);
      assert.ok(decoded === 'refused' || Number.isSafeInteger(decoded));
    }),
    { numRuns: 2000 },
  );
});

test('property: a cursor decodes to its key where it was made, and is refused in any other scope', () => {
  fc.assert(
    fc.property(fc.maxSafeInteger(), fc.constantFrom(...scopes), fc.constantFrom(...scopes), (key, made, used) => {
      const decoded = decodeOrRefusal(encodeCursor(made, key), used);
      assert.equal(decoded, made === used ? key : 'refused');
    }),
  );
});
