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

test('callers: AUTH=none by default without budgets; AUTH=jwt gets budgets of 10 x MAX_COST restored at MAX_COST/s', () => {
  const open = loadConfig({});
  assert.deepEqual(open.auth, { mode: 'none' });
  assert.equal(open.budget, null);
  assert.equal(open.limits.cost, 30_300);
  assert.deepEqual(loadConfig({ COST_BUDGET: '50000' }).budget, {
    points: 50_000,
    restorePerSecond: 30_300,
    redisUrl: undefined,
  });
  const jwt = loadConfig({ AUTH: 'jwt', JWT_JWKS_URL: 'https://idp.test/jwks.json', REDIS_URL: 'redis://redis:6379' });
  assert.equal(jwt.auth.mode, 'jwt');
  assert.deepEqual(jwt.budget, { points: 303_000, restorePerSecond: 30_300, redisUrl: 'redis://redis:6379' });
  assert.equal(
    loadConfig({ MAX_PAGE_SIZE: '40000', AUTH: 'jwt', JWT_SECRET: 'x'.repeat(32) }).budget?.points,
    48_001_200_000,
  );
});

test('callers: invalid settings are refused with the variable named', () => {
  const jwks = 'https://idp.test/jwks.json';
  assert.throws(() => loadConfig({ AUTH: 'basic' }), /AUTH must be "none" or "jwt"/);
  assert.throws(() => loadConfig({ AUTH: 'jwt' }), /exactly one of JWT_JWKS_URL .* or JWT_SECRET/);
  assert.throws(() => loadConfig({ AUTH: 'jwt', JWT_JWKS_URL: jwks, JWT_SECRET: 'x'.repeat(32) }), /exactly one/);
  assert.throws(() => loadConfig({ AUTH: 'jwt', JWT_SECRET: 'short' }), /JWT_SECRET must be at least 32 characters/);
  assert.throws(
    () => loadConfig({ AUTH: 'jwt', JWT_JWKS_URL: 'idp.test/jwks' }),
    /JWT_JWKS_URL must be an http\(s\) URL/,
  );
  assert.throws(() => loadConfig({ COST_BUDGET: '100' }), /COST_BUDGET \(100\) must be at least MAX_COST \(30300\)/);
  assert.throws(() => loadConfig({ COST_RESTORE_PER_SECOND: '0' }), /COST_RESTORE_PER_SECOND must be an integer >= 1/);
  assert.throws(() => loadConfig({ REDIS_URL: 'localhost:6379' }), /REDIS_URL must start with "redis:\/\/"/);
  assert.throws(() => loadConfig({ TRUST_PROXY_HOPS: '-1' }), /TRUST_PROXY_HOPS must be an integer >= 0/);
});
