import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { parseDatabaseUrl } from '../../src/data/open-data-source.js';

test('defaults follow the contract', () => {
  const config = loadConfig({});
  assert.equal(config.port, 4000);
  assert.equal(config.host, '0.0.0.0');
  assert.equal(config.databaseUrl, 'file:./data/clients.db');
  assert.equal(config.executor, 'workers');
  assert.equal(config.defaultPageSize, 20);
  assert.equal(config.maxPageSize, 100);
  assert.ok(Object.isFrozen(config));
});

test('invalid settings are refused with the variable named', () => {
  assert.throws(() => loadConfig({ PORT: 'eighty' }), /PORT must be an integer/);
  assert.throws(() => loadConfig({ WORKERS: '0' }), /WORKERS must be an integer >= 1/);
  assert.throws(() => loadConfig({ EXECUTOR: 'threads' }), /EXECUTOR must be "workers" or "inline"/);
  assert.throws(() => loadConfig({ DEFAULT_PAGE_SIZE: '200' }), /exceeds MAX_PAGE_SIZE/);
});

test('DATABASE_URL: file: paths are SQLite, postgres:// PostgreSQL, anything else a clear error', () => {
  assert.deepEqual(parseDatabaseUrl('file:/tmp/x.db'), { kind: 'sqlite', path: '/tmp/x.db' });
  assert.match(JSON.stringify(parseDatabaseUrl('file:./data/clients.db')), /\/data\/clients\.db"/);
  assert.deepEqual(parseDatabaseUrl('postgres://db/clients'), { kind: 'postgres', url: 'postgres://db/clients' });
  assert.deepEqual(parseDatabaseUrl('postgresql://db/clients'), { kind: 'postgres', url: 'postgresql://db/clients' });
  assert.throws(
    () => parseDatabaseUrl('mysql://localhost/db'),
    /DATABASE_URL must start with "file:" \(SQLite\) or "postgres:\/\/"/,
  );
  assert.throws(() => parseDatabaseUrl('file:'), /needs a path/);
});
