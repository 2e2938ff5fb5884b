import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { generateClients } from '../../src/data/generate.js';
import { createTestDatabase } from '../helpers/database.js';

test('profile seed reproduces the original objects: all strings null, one account, no account address', () => {
  for (const { client, addresses, accounts } of generateClients(100, 'seed')) {
    assert.equal(addresses.length, 1);
    assert.equal(client.addressId, addresses[0]?.id);
    assert.equal(accounts.length, 1);
    assert.equal(accounts[0]?.addressId, null);
    assert.equal(accounts[0]?.clientId, client.id);
    for (const row of [client, ...addresses, ...accounts]) {
      for (const [key, value] of Object.entries(row)) if (key.startsWith('str')) assert.equal(value, null);
    }
  }
});

test('profile full fills every string and gives 1-3 accounts, each with its own address', () => {
  const counts = new Set<number>();
  for (const { client, addresses, accounts } of generateClients(200, 'full')) {
    counts.add(accounts.length);
    assert.equal(addresses.length, 1 + accounts.length);
    assert.deepEqual(
      accounts.map((account) => account.addressId),
      addresses.slice(1).map((address) => address.id),
    );
    for (const row of [client, ...addresses, ...accounts]) {
      for (const [key, value] of Object.entries(row)) {
        if (key.startsWith('str')) assert.ok(typeof value === 'string' && value.length >= 4, `${key}=${value}`);
      }
    }
  }
  assert.deepEqual([...counts].sort(), [1, 2, 3]);
});

test('seeding is deterministic: two databases of the same size hold the same rows', (t) => {
  const dump = (path: string) => {
    const db = new Database(path, { readonly: true });
    const rows = ['clients', 'addresses', 'accounts'].map((table) =>
      db.prepare(`SELECT * FROM ${table} ORDER BY id`).all(),
    );
    db.close();
    return rows;
  };
  const first = dump(createTestDatabase(t, 300).path);
  assert.deepEqual(dump(createTestDatabase(t, 300).path), first);
  assert.equal(first[0]?.length, 300);
});
