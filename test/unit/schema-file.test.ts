import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { printSchema } from 'graphql';
import { sortedSchema } from '../../src/schema/index.js';

test('schema.graphql is the printed, sorted schema (run `npm run print-schema` after changing types)', () => {
  const committed = readFileSync(new URL('../../../schema.graphql', import.meta.url), 'utf8');
  assert.equal(committed, `${printSchema(sortedSchema)}\n`);
});

test('the object types mirror the original models field for field', () => {
  const fields = (name: string) =>
    Object.keys((sortedSchema.getType(name) as unknown as { getFields(): object }).getFields()).sort();
  const strings = (numbers: number[]) => numbers.map((n) => `str${n}`);
  assert.deepEqual(fields('Address'), ['databaseId', 'id', ...strings([1, 2, 3, 4, 5, 6, 7, 8])].sort());
  assert.deepEqual(
    fields('Client'),
    ['address', 'bankAccounts', 'databaseId', 'id', ...strings([1, 2, 3, 4, 5, 6, 7, 8])].sort(),
  );
  assert.deepEqual(
    fields('Account'),
    ['address', 'databaseId', 'id', ...strings([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 15, 16])].sort(),
  );
});
